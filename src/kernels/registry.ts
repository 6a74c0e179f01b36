import { BackendError, describe } from '../core/errors.js';
import type { Backend } from './backend.js';
import { CpuBackend } from './cpu/backend.js';
import { GpuBackend } from './gpu/backend.js';
import { probeRenderer, type RendererInfo } from './gpu/context.js';

/**
 * Backend registry (after TF.js's kernel registry): ops call `getBackend()`; users pick with
 * `setBackend(name)`. Factories are lazy so that an unavailable backend costs nothing until asked for.
 */
type Factory = () => Backend;

const factories = new Map<string, Factory>();
const instances = new Map<string, Backend>();
let active: Backend | null = null;

export function registerBackend(name: string, factory: Factory): void {
  factories.set(name, factory);
  instances.delete(name);
}

/** Names of all registered backends (plus 'auto'). */
export function listBackends(): string[] {
  return ['auto', ...factories.keys()];
}

/** Create (once) and return the backend registered under `name`; throws BackendError if it cannot be created. */
export function backendInstance(name: string): Backend {
  const cached = instances.get(name);
  if (cached !== undefined) return cached;
  const factory = factories.get(name);
  if (factory === undefined) {
    throw new BackendError(`backend must be one of ${describe(listBackends())}, got ${describe(name)}`);
  }
  const b = factory();
  instances.set(name, b);
  return b;
}

/**
 * Choose the backend used by every op from now on. 'auto' picks the best available (see
 * `autoDecision`); 'gpu' throws BackendError, saying what is missing, when no WebGL context exists.
 */
export function setBackend(name: string): Backend {
  active = name === 'auto' ? resolveAuto() : backendInstance(name);
  return active;
}

/** The backend ops run on (resolving 'auto' on first use). */
export function getBackend(): Backend {
  if (active === null) active = resolveAuto();
  return active;
}

/** What 'auto' chose and why; `renderer` is the WebGL renderer when a context could be created. */
export interface AutoDecision {
  backend: 'gpu' | 'cpu';
  reason: string;
  renderer?: string;
}

/**
 * The rule behind 'auto': the GPU backend only on a hardware renderer. A software rasterizer
 * (llvmpipe, SwiftShader, ...) runs the kernels slower than the CPU backend, so it is never chosen;
 * `setBackend('gpu')` still forces it. `probe` throws when there is no context.
 */
export function decideAuto(probe: () => RendererInfo): AutoDecision {
  let info: RendererInfo;
  try {
    info = probe();
  } catch (e) {
    // Any failure to probe (not only BackendError) must leave 'auto' on the CPU rather than crash.
    return { backend: 'cpu', reason: e instanceof Error ? e.message : String(e) };
  }
  if (info.software) {
    return {
      backend: 'cpu',
      reason: `WebGL renders on ${info.renderer}, a software renderer slower than the CPU kernels (setBackend('gpu') forces it)`,
      renderer: info.renderer,
    };
  }
  return { backend: 'gpu', reason: `hardware WebGL renderer ${info.renderer}`, renderer: info.renderer };
}

let decision: AutoDecision | null = null;
let announced = false;

/** What 'auto' picks on this machine (probed once per process, then cached). */
export function autoDecision(): AutoDecision {
  decision ??= decideAuto(() => probeRenderer());
  return decision;
}

function resolveAuto(): Backend {
  let d = autoDecision();
  let chosen = backendInstance('cpu');
  if (d.backend === 'gpu') {
    try {
      chosen = backendInstance('gpu');
    } catch (e) {
      d = decision = { backend: 'cpu', reason: e instanceof Error ? e.message : String(e), renderer: d.renderer };
    }
  }
  if (!announced && process.env.INITLAB_QUIET !== '1') {
    process.stderr.write(`initlab: backend auto -> ${d.backend}: ${d.reason} (INITLAB_QUIET=1 silences this)\n`);
  }
  announced = true;
  return chosen;
}

registerBackend('cpu', () => new CpuBackend());
registerBackend('gpu', () => new GpuBackend());
