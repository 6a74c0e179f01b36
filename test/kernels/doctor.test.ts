/**
 * `initlab doctor` and the CLI's backend names go through the registry: a fake backend registered next to the
 * reference appears in every section (probe, diagnostics, auto, agreement check) without doctor knowing its name.
 */
import { expect } from 'chai';
import { BackendError } from '../../src/core/errors.js';
import { doctor } from '../../src/cli/doctor.js';
import { compareCommand } from '../../src/cli/study/compare.js';
import { propagateCommand } from '../../src/cli/study/propagate.js';
import { cli } from '../cli/capture.js';
import { cpuProvider } from '../../src/kernels/cpu/index.js';
import { BackendRegistry, getBackend, listBackends, registerBackend, setBackend } from '../../src/kernels/registry.js';
import { fakeProvider } from './fakes.js';

/** doctor's lines on `registry`, with the two spaces of indentation and the label padding collapsed. */
function doctorLines(registry: BackendRegistry): string[] {
  const lines: string[] = [];
  expect(doctor((l) => lines.push(l), registry)).to.equal(0);
  return lines.map((l) => l.replace(/\s+/g, ' ').trim());
}

const quiet = { announce: (): void => undefined };

describe('initlab doctor through the registry', () => {
  it('reports a fake extra backend: probe, diagnostics, auto, and its agreement with the reference', () => {
    const registry = new BackendRegistry([cpuProvider, fakeProvider('quux', { priority: 42, reason: 'quux device found' })], quiet);
    const out = doctorLines(registry);
    expect(out[0]).to.equal('initlab doctor');
    expect(out).to.include('backends auto, cpu, quux');
    expect(out).to.include('cpu available: hand-written JavaScript kernels (single thread, packed 3x4 register-tiled matmul)');
    expect(out).to.include('probe (reference, priority 0): available, fast: pure JavaScript kernels, available everywhere');
    expect(out).to.include('precision sums in float64, stores in the input type (float32 or float64)');
    expect(out).to.include('quux available: fake kernels named quux');
    expect(out).to.include('probe (priority 42): available, fast: quux device found');
    expect(out).to.include('fake device quux-device-0');
    expect(out).to.include('auto quux: quux: quux device found');
    expect(out).to.include('quux check 256x256 @ 256x256 matmul, quux vs cpu (float32):');
    // The fake IS the reference kernels, so the error is exactly 0.
    expect(out).to.include('max abs error 0.00e+0, max rel error 0.00e+0');
    expect(out).to.include('worst |error| / bound = 0.000, bound (k+2)·eps32·(|A||B|)_ij');
    expect(out.some((l) => /^time quux \d+ ms \(first call, compiling or warming up: \d+ ms\), cpu \d+ ms$/.test(l))).to.equal(true);
    expect(out).to.include('verdict AGREE within the float32 bound');
    expect(out.filter((l) => l.startsWith('verdict'))).to.have.length(1);
    // Nothing of the built-in GPU backend is hard-coded.
    expect(out.join('\n')).to.not.match(/gpu|webgl/i);
  });

  it('says DISAGREE for a backend beyond the float32 bound, and notes a degraded backend', () => {
    const off = fakeProvider('offby', { priority: 1, matmulError: 1e-3 });
    const registry = new BackendRegistry([cpuProvider, off], quiet);
    const backend = registry.instance('offby') as { degraded: boolean };
    backend.degraded = true;
    const out = doctorLines(registry);
    expect(out).to.include('verdict DISAGREE: beyond the float32 bound (but the offby backend degraded to its fallback kernels)');
    expect(out.find((l) => l.startsWith('worst |error| / bound'))).to.match(/= \d{2,}\.\d{3},/);
  });

  it('reports an unavailable backend and a failing one with their reasons, and skips their checks', () => {
    const registry = new BackendRegistry([
      cpuProvider,
      fakeProvider('absent', { priority: 5, available: false, reason: 'no absent device' }),
      fakeProvider('crashy', { priority: 3, createFails: 'crashy would not start' }),
      fakeProvider('slowpoke', { priority: 2, fast: false, reason: 'emulated' }),
    ], quiet);
    const out = doctorLines(registry);
    expect(out).to.include('absent unavailable: no absent device');
    expect(out).to.include('probe (priority 5): unavailable: no absent device');
    expect(out).to.include('crashy unavailable: crashy would not start');
    expect(out).to.include('slowpoke available: fake kernels named slowpoke');
    expect(out).to.include('probe (priority 2): available, not fast: emulated');
    expect(out).to.include('auto cpu: absent unavailable: no absent device; crashy failed to start: crashy would not start; ' +
      'slowpoke not fast: emulated; cpu: pure JavaScript kernels, available everywhere');
    expect(out).to.include('absent check skipped (no absent backend)');
    expect(out).to.include('crashy check skipped (no crashy backend)');
    expect(out).to.include('slowpoke check 256x256 @ 256x256 matmul, slowpoke vs cpu (float32):');
    expect(out).to.include('verdict AGREE within the float32 bound');
  });

  it('skips the checks without a reference backend, and reports when auto finds nothing', () => {
    const registry = new BackendRegistry([fakeProvider('lonely', { fast: false })], quiet);
    const out = doctorLines(registry);
    expect(out).to.include('lonely check skipped (no reference backend to compare with)');
    expect(out.find((l) => l.startsWith('auto '))).to.match(/^auto none: backend 'auto' found no usable backend among \["lonely"\]: lonely not fast/);
  });
});

describe('CLI backend names come from the registry', () => {
  it('--backend help and validation of compare and propagate list the registered names, a new one included', async () => {
    for (const c of [compareCommand, propagateCommand]) {
      expect(c.help()).to.match(new RegExp(`\\n  --backend B +${listBackends().join(' \\| ')} \\(default auto\\)\\n`));
      const bad = await cli([c.name, '--backend', 'nonesuch']);
      expect(bad.code).to.equal(2);
      expect(bad.err).to.equal(`initlab: BackendError: --backend must be one of ${listBackends().join(', ')}, got "nonesuch"\n`);
    }
    const previous = getBackend();
    registerBackend(fakeProvider('cli-test-fake', { priority: -5, fast: false }));
    try {
      for (const c of [compareCommand, propagateCommand]) {
        expect(c.help()).to.match(/--backend B +auto \| cpu \| gpu \| .*cli-test-fake/);
        // The flag accepts the new name: the command gets past flag parsing to its first own check (--scheme).
        const r = await cli([c.name, '--backend', 'cli-test-fake', '--scheme', 'no_such_scheme']);
        expect(r.code).to.equal(2);
        expect(r.err).to.match(/^initlab: UsageError: --scheme "no_such_scheme": unknown scheme/);
      }
    } finally {
      setBackend(previous.name);
    }
  });
});
