import { BackendError, describe } from '../errors.js';
import type { Backend } from './backend.js';
import { CpuBackend } from './cpu.js';

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

/** Choose the backend used by every op from now on. 'auto' picks the best available. */
export function setBackend(name: string): Backend {
  active = name === 'auto' ? resolveAuto() : backendInstance(name);
  return active;
}

/** The backend ops run on (resolving 'auto' on first use). */
export function getBackend(): Backend {
  if (active === null) active = resolveAuto();
  return active;
}

function resolveAuto(): Backend {
  return backendInstance('cpu');
}

registerBackend('cpu', () => new CpuBackend());
