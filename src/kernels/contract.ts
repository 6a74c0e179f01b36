/**
 * The registry's side of the backend contract, checked where a caller hands something in: providers (at
 * registration and in `decideAuto`), what their `probe()` answers and what their `create()` returns, and options
 * records. A malformed provider is refused when it is registered, with a BackendError naming the field, not found
 * out later by `setBackend(name)` as "provider.create is not a function".
 */
import { BackendError, DomainError, describe } from '../core/errors.js';
import type { Backend, BackendProbe, BackendProvider } from './backend.js';

/** Registry names: what `setBackend(name)` and `--backend` accept ('auto' is the registry's own choice). */
export const BACKEND_NAME = /^[a-z][a-z0-9_-]*$/;

/** The methods every backend implements (`diagnose` and `degraded` are optional). */
const BACKEND_METHODS = ['describe', 'matmul', 'relu', 'reluBackward', 'addBias', 'linear'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A registry name matching BACKEND_NAME, other than 'auto'; BackendError naming `where` otherwise. */
export function checkBackendName(name: unknown, where: string): string {
  if (typeof name !== 'string' || !BACKEND_NAME.test(name) || name === 'auto') {
    throw new BackendError(`${where} must match ${String(BACKEND_NAME)} and must not be "auto", got ${describe(name)}`);
  }
  return name;
}

/**
 * A BackendProvider: `name` (checkBackendName), `priority` a finite number or -Infinity (never preferred, as for a
 * backend registered with a factory), `reference` boolean or absent, `probe` and `create` functions.
 */
export function checkProvider(p: unknown, where: string): BackendProvider {
  if (!isRecord(p)) throw new BackendError(`${where} must be a BackendProvider {name, priority, probe(), create()}, got ${describe(p)}`);
  checkBackendName(p.name, `${where}.name`);
  const { priority, reference, probe, create } = p;
  if (typeof priority !== 'number' || Number.isNaN(priority) || priority === Number.POSITIVE_INFINITY) {
    throw new BackendError(`${where}.priority must be a finite number (or -Infinity), got ${describe(priority)}`);
  }
  if (reference !== undefined && typeof reference !== 'boolean') {
    throw new BackendError(`${where}.reference must be a boolean or absent, got ${describe(reference)}`);
  }
  if (typeof probe !== 'function') throw new BackendError(`${where}.probe must be a function, got ${describe(probe)}`);
  if (typeof create !== 'function') throw new BackendError(`${where}.create must be a function, got ${describe(create)}`);
  return p as unknown as BackendProvider;
}

/** An array of providers with distinct names (the registry keys them by name). */
export function checkProviders(ps: unknown, where: string): readonly BackendProvider[] {
  if (!Array.isArray(ps)) throw new BackendError(`${where} must be an array of BackendProviders, got ${describe(ps)}`);
  const seen = new Map<string, number>();
  return ps.map((p: unknown, i) => {
    const provider = checkProvider(p, `${where}[${i}]`);
    const first = seen.get(provider.name);
    if (first !== undefined) {
      throw new BackendError(`${where}[${i}].name must differ from ${where}[${first}].name, got ${describe(provider.name)} twice`);
    }
    seen.set(provider.name, i);
    return provider;
  });
}

/** `failed` of `decideAuto`: a Map from provider name to why its create() threw (both strings). */
export function checkFailures(failed: unknown, where: string): ReadonlyMap<string, string> {
  if (!(failed instanceof Map)) throw new BackendError(`${where} must be a Map (provider name -> reason), got ${describe(failed)}`);
  for (const [k, v] of failed as Map<unknown, unknown>) {
    if (typeof k !== 'string' || typeof v !== 'string') {
      throw new BackendError(`${where} must map provider names to reasons (strings), got an entry ${describe(k)} -> ${describe(v)}`);
    }
  }
  return failed as ReadonlyMap<string, string>;
}

/**
 * A probe's answer, or null when it is not `{ available: boolean, fast: boolean, reason: string }` (the caller
 * reads null as unavailable, as it does a probe that throws: 'auto' must never crash on a provider's probe).
 */
export function probeAnswer(answer: unknown): BackendProbe | null {
  if (!isRecord(answer)) return null;
  const { available, fast, reason } = answer;
  return typeof available === 'boolean' && typeof fast === 'boolean' && typeof reason === 'string' ? { available, fast, reason } : null;
}

/** What `create()` of provider `name` returned, if it is a Backend (a `name` string and every kernel method). */
export function checkCreated(b: unknown, name: string): Backend {
  const where = `backend ${describe(name)}: provider.create()`;
  if (!isRecord(b)) throw new BackendError(`${where} must return a Backend, got ${describe(b)}`);
  if (typeof b.name !== 'string') throw new BackendError(`${where} must return a Backend with a string name, got name ${describe(b.name)}`);
  const missing = BACKEND_METHODS.filter((m) => typeof b[m] !== 'function');
  if (missing.length > 0) throw new BackendError(`${where} must return a Backend, but its result lacks the method(s) ${missing.join(', ')}`);
  return b as unknown as Backend;
}

/** An optional function field of an options record. */
export function optionalFunction<F>(value: unknown, where: string): F | undefined {
  if (value !== undefined && typeof value !== 'function') throw new DomainError(`${where} must be a function or undefined, got ${describe(value)}`);
  return value as F | undefined;
}
