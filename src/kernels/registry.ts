import { BackendError, describe } from '../core/errors.js';
import type { Backend, BackendProbe, BackendProvider } from './backend.js';
import { BUILTIN_BACKENDS } from './builtin.js';
import { checkBackendName, checkCreated, checkFailures, checkProvider, checkProviders, optionalFunction, probeAnswer } from './contract.js';
import { checkedOptions } from '../core/options.js';
import { envVar, writeStderr } from './host.js';

/**
 * Backend registry (after TF.js's kernel registry): ops call `getBackend()`; users pick with `setBackend(name)`.
 * Providers are lazy: an unavailable backend costs one cached probe until it is asked for.
 *
 * This module names no backend. The default registry is seeded from builtin.ts's list when this module loads, so
 * the built-ins are there before first use whichever module is imported first (tensor ops import this file
 * directly). The list cannot register itself instead (the way src/init/builtin.ts does): this module would then
 * import builtin.ts for its side effect while builtin.ts imports this module, and in that ESM cycle builtin.ts
 * runs first and would call `registerBackend` before this module's state exists.
 */

/** What 'auto' chose and why. */
export interface AutoDecision {
  /** Registry name of the chosen backend. */
  backend: string;
  /** One line: why each provider of higher priority was passed over, then why this one. */
  reason: string;
  /** The providers passed over, highest priority first, each with why (e.g. 'not fast: ...'). */
  skipped: readonly { name: string; reason: string }[];
}

/** A factory registered by name alone (`registerBackend(name, factory)`). */
export type BackendFactory = () => Backend;

/** Options of a registry; the default one announces 'auto' on stderr when that is news (see `autoNotice`). */
export interface BackendRegistryOptions {
  /** Where the one-line 'auto' notice goes (default: stderr unless INITLAB_QUIET=1). */
  announce?: (line: string) => void;
  /**
   * The user's override of 'auto', read when 'auto' is resolved (default: the environment variable INITLAB_BACKEND).
   * A registered name makes 'auto' mean that backend; undefined, '' or 'auto' leaves the probes to decide.
   */
  override?: () => string | undefined;
}

/**
 * The one-line notice for an 'auto' decision, or null when there is nothing the user needs to hear. A notice is
 * given only when a provider that 'auto' prefers (passed over before the chosen one) probed available and fast but
 * failed to start: a fast backend is there and unusable for a reason that can be fixed. Picking the best backend that
 * probed fast is the expected default (wasm on most machines, a hardware GPU where there is one) and is not news;
 * providers passed over as unavailable or not fast by their probe (no display, no native module, a software renderer)
 * are not news either: setting them up (e.g. xvfb, which renders in software) would not change the choice.
 * `initlab doctor` and `autoDecision()` still give every reason.
 */
function autoNotice(d: AutoDecision, failed: ReadonlyMap<string, string>): string | null {
  if (!d.skipped.some((s) => failed.has(s.name))) return null;
  return `initlab: backend auto -> ${d.backend}: ${d.reason} (INITLAB_QUIET=1 silences this)`;
}

/** A factory-only provider: selectable by name, never chosen by 'auto' (it has not said it is fast). */
function factoryProvider(name: string, factory: BackendFactory): BackendProvider {
  const probe: BackendProbe = {
    available: true,
    fast: false,
    reason: 'registered with a factory, so not probed: selectable by name only',
  };
  return { name, priority: Number.NEGATIVE_INFINITY, probe: () => probe, create: factory };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * A provider's probe; a probe that throws or answers something other than `{ available, fast, reason }` (it
 * should not) reads as unavailable, so 'auto' never crashes.
 */
export function safeProbe(p: BackendProvider): BackendProbe {
  let answer: unknown;
  try {
    answer = p.probe();
  } catch (e) {
    return { available: false, fast: false, reason: `probe failed: ${message(e)}` };
  }
  return probeAnswer(answer) ?? {
    available: false,
    fast: false,
    reason: `probe answered ${describe(answer)}, not { available: boolean, fast: boolean, reason: string }`,
  };
}

/**
 * The rule behind 'auto': the highest-priority provider whose probe says available and fast, skipping those in
 * `failed` (name -> why its create() threw); when none qualifies, the reference provider if it is available.
 * Throws BackendError, with every provider's reason, when nothing is left, and when `providers` is not an array of
 * providers with distinct names or `failed` is not a Map of strings.
 */
export function decideAuto(providers: readonly BackendProvider[], failed: ReadonlyMap<string, string> = new Map()): AutoDecision {
  checkProviders(providers, 'providers');
  checkFailures(failed, 'failed');
  // Not y - x: two -Infinity priorities would give NaN. Ties keep registration order (stable sort).
  const ordered = [...providers].sort((x, y) => (y.priority > x.priority ? 1 : y.priority < x.priority ? -1 : 0));
  const skipped: { name: string; reason: string }[] = [];
  const decision = (name: string, why: string): AutoDecision => ({
    backend: name,
    reason: [...skipped.map((s) => `${s.name} ${s.reason}`), `${name}: ${why}`].join('; '),
    skipped,
  });
  const probes = new Map<string, BackendProbe>();
  for (const p of ordered) {
    const probe = safeProbe(p);
    probes.set(p.name, probe);
    const failure = failed.get(p.name);
    if (failure !== undefined) skipped.push({ name: p.name, reason: `failed to start: ${failure}` });
    else if (!probe.available) skipped.push({ name: p.name, reason: `unavailable: ${probe.reason}` });
    else if (!probe.fast) skipped.push({ name: p.name, reason: `not fast: ${probe.reason}` });
    else return decision(p.name, probe.reason);
  }
  const ref = ordered.find((p) => p.reference === true);
  if (ref !== undefined && probes.get(ref.name)?.available === true && !failed.has(ref.name)) {
    // The reference is the exact kernels: slow is better than nothing.
    const i = skipped.findIndex((s) => s.name === ref.name);
    skipped.splice(i, 1);
    return decision(ref.name, `the reference backend, though not fast: ${probes.get(ref.name)?.reason ?? ''}`);
  }
  const why = skipped.map((s) => `${s.name} ${s.reason}`).join('; ');
  throw new BackendError(`backend 'auto' found no usable backend among ${describe(ordered.map((p) => p.name))}${why === '' ? '' : `: ${why}`}`);
}

/**
 * A set of backend providers, the instances created from them and the active backend. The package uses one
 * default registry (`backends`, behind the functions below); tests and tools may make their own.
 */
export class BackendRegistry {
  private readonly providers = new Map<string, BackendProvider>();
  private readonly instances = new Map<string, Backend>();
  /** Providers whose create() threw in this registry: name -> why. */
  private readonly failed = new Map<string, string>();
  private active: Backend | null = null;
  private decision: AutoDecision | null = null;
  private announced = false;
  private readonly announce: (line: string) => void;
  private readonly override: () => string | undefined;

  /**
   * `providers`: an array of providers with distinct names (see `register`); `options`: an object or undefined.
   * Throws BackendError for a malformed provider, DomainError for malformed options.
   */
  constructor(providers: readonly BackendProvider[] = [], options: BackendRegistryOptions = {}) {
    const o = checkedOptions('BackendRegistry', options, ['announce', 'override']);
    this.announce = optionalFunction<(line: string) => void>(o.announce, 'options.announce') ?? ((line) => {
      if (envVar('INITLAB_QUIET') !== '1') writeStderr(line);
    });
    this.override = optionalFunction<() => string | undefined>(o.override, 'options.override') ?? (() => envVar('INITLAB_BACKEND'));
    for (const p of checkProviders(providers, 'providers')) this.register(p);
  }

  /**
   * Add or replace (by name) a provider; a replaced backend's instance is dropped and 'auto' is reconsidered.
   * BackendError unless `provider` is `{ name, priority, reference?, probe, create }` with a name matching
   * /^[a-z][a-z0-9_-]*$/ other than 'auto', a finite (or -Infinity) priority and functions probe and create.
   */
  register(provider: BackendProvider): void {
    checkProvider(provider, 'provider');
    this.providers.set(provider.name, provider);
    this.instances.delete(provider.name);
    this.failed.delete(provider.name);
    this.decision = null;
  }

  /** Registered providers, in registration order. */
  list(): BackendProvider[] {
    return [...this.providers.values()];
  }

  /** The provider flagged `reference: true` (the first one registered), or undefined. */
  reference(): BackendProvider | undefined {
    return this.list().find((p) => p.reference === true);
  }

  /** 'auto' followed by every registered name, in registration order. */
  names(): string[] {
    return ['auto', ...this.providers.keys()];
  }

  /** Create (once) and return the backend named `name`; throws BackendError if unknown or it cannot be created. */
  instance(name: string): Backend {
    const cached = this.instances.get(name);
    if (cached !== undefined) return cached;
    const provider = this.providers.get(name);
    if (provider === undefined) {
      throw new BackendError(`backend must be one of ${describe(this.names())}, got ${describe(name)}`);
    }
    let b: Backend;
    try {
      b = checkCreated(provider.create(), name);
    } catch (e) {
      // Remembered so that 'auto' (and doctor's account of it) passes over a backend known not to start.
      this.failed.set(name, message(e));
      this.decision = null;
      throw e;
    }
    this.instances.set(name, b);
    return b;
  }

  /** Make `name` ('auto' or a registered name) the active backend; on error the active backend is unchanged. */
  set(name: string): Backend {
    this.active = name === 'auto' ? this.resolveAuto() : this.instance(name);
    return this.active;
  }

  /** The active backend, resolving 'auto' on first use. */
  get(): Backend {
    this.active ??= this.resolveAuto();
    return this.active;
  }

  /** What 'auto' picks (probes once, then cached until a provider is registered or one fails to start). */
  autoDecision(): AutoDecision {
    this.decision ??= decideAuto(this.list(), this.failed);
    return this.decision;
  }

  /**
   * The backend INITLAB_BACKEND (or options.override) names, or null when it names none (unset, '' or 'auto'); an
   * unregistered name is a BackendError naming the variable, the registered names and the value.
   */
  forcedName(): string | null {
    const v = this.override();
    if (v === undefined || v === '' || v === 'auto') return null;
    if (!this.providers.has(v)) {
      throw new BackendError(`INITLAB_BACKEND must be one of ${describe(this.names())} (or unset), got ${describe(v)}`);
    }
    return v;
  }

  /**
   * 'auto': the backend INITLAB_BACKEND names when it is set (an explicit name given to `set` still wins), otherwise
   * the decided backend, or, when its create() throws, the next one by the same rule; noticed at most once.
   */
  private resolveAuto(): Backend {
    const forced = this.forcedName();
    if (forced !== null) return this.instance(forced);
    for (;;) {
      const d = this.autoDecision(); // throws BackendError once every provider is ruled out
      let chosen: Backend;
      try {
        chosen = this.instance(d.backend);
      } catch {
        continue; // instance() recorded why; the next decision passes over it
      }
      const notice = this.announced ? null : autoNotice(d, this.failed);
      if (notice !== null) this.announce(notice);
      this.announced = true;
      return chosen;
    }
  }
}

/** The registry behind `getBackend()`, seeded with the built-in backends of builtin.ts. */
export const backends = new BackendRegistry(BUILTIN_BACKENDS);

/**
 * Register a backend: `registerBackend(provider)` (probed, may be chosen by 'auto'), or the older
 * `registerBackend(name, factory)`, which registers a backend selectable by name only. A name registered
 * again replaces the earlier provider.
 */
export function registerBackend(provider: BackendProvider): void;
export function registerBackend(name: string, factory: BackendFactory): void;
export function registerBackend(nameOrProvider: string | BackendProvider, factory?: BackendFactory): void {
  if (typeof nameOrProvider !== 'string') {
    backends.register(nameOrProvider);
    return;
  }
  checkBackendName(nameOrProvider, 'registerBackend(name, factory): name');
  if (typeof factory !== 'function') {
    throw new BackendError(`registerBackend(name, factory): factory must be a function, got ${describe(factory)} for ${describe(nameOrProvider)}`);
  }
  backends.register(factoryProvider(nameOrProvider, factory));
}

/** Names of all registered backends, after 'auto'. */
export function listBackends(): string[] {
  return backends.names();
}

/** Create (once) and return the backend registered under `name`; throws BackendError if it cannot be created. */
export function backendInstance(name: string): Backend {
  return backends.instance(name);
}

/**
 * Choose the backend used by every op from now on. 'auto' picks the best available (see `autoDecision`); a
 * named backend that cannot be created throws BackendError saying what is missing (e.g. no WebGL context),
 * and the active backend stays as it was.
 */
export function setBackend(name: string): Backend {
  return backends.set(name);
}

/** The backend ops run on (resolving 'auto' on first use). */
export function getBackend(): Backend {
  return backends.get();
}

/** What 'auto' picks on this machine (probed once per process, then cached). */
export function autoDecision(): AutoDecision {
  return backends.autoDecision();
}
