/**
 * Fake backends and providers for the registry and doctor tests: no GPU, no names the code under test knows.
 */
import type { Backend, BackendProbe, BackendProvider, DiagnosticRow, FloatArray, LinearFlags, MatmulFlags } from '../../src/kernels/backend.js';
import { CpuBackend } from '../../src/kernels/cpu/backend.js';

/** The CPU kernels under another name, optionally with matmul results pushed off by `matmulError` (relative). */
export class FakeBackend implements Backend {
  private readonly cpu = new CpuBackend();
  degraded = false;

  constructor(readonly name: string, private readonly matmulError = 0) {}

  describe(): string {
    return `fake kernels named ${this.name}`;
  }
  diagnose(): readonly DiagnosticRow[] {
    return [{ label: 'fake device', value: `${this.name}-device-0` }];
  }
  matmul(a: FloatArray, b: FloatArray, m: number, k: number, n: number, flags?: MatmulFlags): FloatArray {
    const c = this.cpu.matmul(a, b, m, k, n, flags);
    return this.matmulError === 0 ? c : c.map((v) => v * (1 + this.matmulError));
  }
  relu(x: FloatArray): FloatArray {
    return this.cpu.relu(x);
  }
  reluBackward(x: FloatArray, dy: FloatArray): FloatArray {
    return this.cpu.reluBackward(x, dy);
  }
  addBias(x: FloatArray, bias: FloatArray, rows: number, cols: number): FloatArray {
    return this.cpu.addBias(x, bias, rows, cols);
  }
  linear(x: FloatArray, w: FloatArray, bias: FloatArray | null, m: number, k: number, n: number, flags?: LinearFlags): FloatArray {
    return this.cpu.linear(x, w, bias, m, k, n, flags);
  }
}

/** A provider for tests; counts probe() and create() calls. */
export interface FakeProvider extends BackendProvider {
  probes: number;
  creates: number;
}

export interface FakeOptions {
  priority?: number;
  reference?: boolean;
  available?: boolean;
  fast?: boolean;
  reason?: string;
  /** create() throws an Error with this message. */
  createFails?: string;
  /** probe() throws an Error with this message. */
  probeThrows?: string;
  matmulError?: number;
}

export function fakeProvider(name: string, o: FakeOptions = {}): FakeProvider {
  const probe: BackendProbe = {
    available: o.available ?? true,
    fast: o.fast ?? true,
    reason: o.reason ?? `${name} probe reason`,
  };
  const p: FakeProvider = {
    name,
    priority: o.priority ?? 0,
    reference: o.reference,
    probes: 0,
    creates: 0,
    probe: () => {
      p.probes++;
      if (o.probeThrows !== undefined) throw new Error(o.probeThrows);
      return probe;
    },
    create: () => {
      p.creates++;
      if (o.createFails !== undefined) throw new Error(o.createFails);
      return new FakeBackend(name, o.matmulError);
    },
  };
  return p;
}
