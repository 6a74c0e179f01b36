/**
 * Registry of initializers: every scheme by name, one calling convention, with a description, its source and its
 * provenance (reconstructions are named as such in `description`).
 *
 * Two kinds of entries (types in entry.ts):
 *
 * - `kind: 'tensor'`: `init(shape, rng, options?, context?) → Float32Array | Float64Array`. One weight tensor from
 *   its shape (PyTorch layout). `options` is a plain record validated by the scheme (e.g. `{ mode: 'fan_out',
 *   dtype: 'float64' }`); `context` is optional and carries what some per-tensor schemes need beyond the shape
 *   (`shapes` of the whole network, `layerIndex`, already-initialised `layers`, a `data` batch, `extra`).
 * - `kind: 'network'`: `init(shapes, rng, options?, context?) → LayerTensors[]`. All layers at once from the list
 *   of weight shapes in forward order (e.g. `[[256, 784], [10, 256]]`), returning `{ W, b?, shape }` per layer.
 *   Whole-network schemes (e.g. rescaling after He init such as PathCond / ENorm, or data-anchored ones such as
 *   LPS-R) read a data batch from `context.data` and architecture details from `options` / `context.extra`.
 *   A network scheme that wants one independent stream per layer derives them from the `rng` it receives:
 *   `const master = deriveSeed(rng); createStream(master, l)` (rng.ts).
 *
 * `initializeNetwork(name, shapes, rng, options, context)` runs either kind over a network: a tensor entry is applied
 * layer by layer, layer l drawing from its own stream `createStream(deriveSeed(rng), l)`, with zero biases.
 *
 * This module imports no scheme. The built-in entries are listed in builtin.ts, which registers them when it loads
 * (the package entry points import it). Adding a scheme: put its entries in `<scheme>/entries.ts` and add the list to
 * builtin.ts (one line), or call `registerInitializer(entry)` at run time.
 * Unknown names raise a DomainError listing the known names.
 */
import { DomainError, describe } from '../core/errors.js';
import { checkRng, createStream, deriveSeed, type RandomSource } from './support/rng.js';
import type { Shape } from '../core/index.js';
import { parseContext } from './support/context.js';
import { checkInitShape } from './support/size.js';
import type { InitContext, InitOptions, InitializerEntry, LayerTensors, NetworkInitializerEntry, Provenance, TensorInitializerEntry } from './entry.js';
import { allocate, resolveDType } from '../core/index.js';
import { checkedOptions, optionsRecord } from './support/options.js';

export type {
  InitContext,
  InitOptions,
  InitializerEntry,
  LayerTensors,
  NetworkInitializerEntry,
  Provenance,
  TensorInitializerEntry,
} from './entry.js';

const byName = new Map<string, InitializerEntry>();
const primary: InitializerEntry[] = [];

const NAME_RE = /^[a-z][a-z0-9_\-+.]*$/;

/** The entry each stored (wrapped) entry was made from, so that re-registering a wrapped entry does not wrap twice. */
const unwrapped = new WeakMap<InitializerEntry, InitializerEntry>();

/** `shapes` of a network call: a non-empty array of shapes of rank ≥ 1 within the element limit. */
function checkShapes(shapes: unknown): readonly Shape[] {
  if (!Array.isArray(shapes) || shapes.length === 0) {
    throw new DomainError(`shapes must be a non-empty array of weight shapes, got ${describe(shapes)}`);
  }
  shapes.forEach((s: unknown, i: number) => checkInitShape(s, `shapes[${i}]`, 1));
  return shapes as readonly Shape[];
}

/**
 * The stored form of an entry: its `init` checks the arguments common to every entry at the public boundary
 * (shape / shapes, `rng` a RandomSource, `options` an object, `context` well-formed; `null` is rejected for each)
 * before the scheme runs, which parses its own options.
 */
function wrapEntry(entry: InitializerEntry): InitializerEntry {
  const base = unwrapped.get(entry) ?? entry;
  let wrapped: InitializerEntry;
  if (base.kind === 'tensor') {
    const init = base.init;
    wrapped = {
      ...base,
      init: (shape: Shape, rng: RandomSource, options?: InitOptions, context?: InitContext) => {
        checkInitShape(shape, 'shape');
        return init(shape, checkRng(rng), optionsRecord(options), parseContext(context));
      },
    };
  } else {
    const init = base.init;
    wrapped = {
      ...base,
      init: (shapes: readonly Shape[], rng: RandomSource, options?: InitOptions, context?: InitContext) => init(checkShapes(shapes), checkRng(rng), optionsRecord(options), parseContext(context)),
    };
  }
  unwrapped.set(wrapped, base);
  return wrapped;
}

/**
 * Register an initializer under its `name` and `aliases`. A clash with an existing name raises a DomainError unless
 * `{ replace: true }` is passed (which replaces the entry owning that name).
 */
export function registerInitializer(entry: InitializerEntry, opts: { replace?: boolean } = {}): void {
  checkedOptions('registerInitializer', opts, ['replace'], 'opts');
  if (entry === null || typeof entry !== 'object') throw new DomainError(`entry must be an object, got ${describe(entry)}`);
  if (entry.kind !== 'tensor' && entry.kind !== 'network') {
    throw new DomainError(`entry.kind must be "tensor" or "network", got ${describe((entry as { kind: unknown }).kind)}`);
  }
  if (typeof entry.init !== 'function') throw new DomainError(`entry.init must be a function (entry ${describe(entry.name)})`);
  const names = [entry.name, ...(entry.aliases ?? [])];
  for (const n of names) {
    if (typeof n !== 'string' || !NAME_RE.test(n)) {
      throw new DomainError(`initializer name must match ${NAME_RE} (lower case), got ${describe(n)}`);
    }
    const old = byName.get(n);
    if (old !== undefined && !opts.replace) {
      throw new DomainError(`initializer name ${describe(n)} is already registered (by ${describe(old.name)}); pass { replace: true }`);
    }
  }
  for (const n of names) {
    const old = byName.get(n);
    if (old !== undefined) {
      const i = primary.indexOf(old);
      if (i >= 0) primary.splice(i, 1);
      for (const m of [old.name, ...(old.aliases ?? [])]) if (byName.get(m) === old) byName.delete(m);
    }
  }
  const stored = wrapEntry(entry);
  for (const n of names) byName.set(n, stored);
  primary.push(stored);
}

/** Names (primary names and aliases) currently registered, sorted. */
export function initializerNames(): string[] {
  return [...byName.keys()].sort();
}

/** Whether `name` (or an alias) is registered. */
export function hasInitializer(name: string): boolean {
  return byName.has(name);
}

/** The entry registered under `name` or one of its aliases; unknown names raise a DomainError listing the known ones. */
export function getInitializer(name: string): InitializerEntry {
  const e = typeof name === 'string' ? byName.get(name) : undefined;
  if (e === undefined) {
    throw new DomainError(`unknown initializer ${describe(name)}; known names: ${initializerNames().join(', ')}`);
  }
  return e;
}

/** Like `getInitializer` but requires a per-tensor entry. */
export function getTensorInitializer(name: string): TensorInitializerEntry {
  const e = getInitializer(name);
  if (e.kind !== 'tensor') throw new DomainError(`initializer ${describe(name)} is a network initializer; use initializeNetwork`);
  return e;
}

/** Like `getInitializer` but requires a whole-network entry. */
export function getNetworkInitializer(name: string): NetworkInitializerEntry {
  const e = getInitializer(name);
  if (e.kind !== 'network') throw new DomainError(`initializer ${describe(name)} is a tensor initializer, not a network initializer`);
  return e;
}

/** All registered entries (one per primary name), sorted by name; optionally only one kind or provenance. */
export function listInitializers(filter: { kind?: 'tensor' | 'network'; provenance?: Provenance } = {}): InitializerEntry[] {
  checkedOptions('listInitializers', filter, ['kind', 'provenance'], 'filter');
  return primary
    .filter((e) => (filter.kind === undefined || e.kind === filter.kind) && (filter.provenance === undefined || e.provenance === filter.provenance))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Initialise a whole network with a registered scheme of either kind.
 * - network entry: calls `entry.init(shapes, rng, options, context)`;
 * - tensor entry: for each layer l, `entry.init(shapes[l], createStream(master, l), options, {...context, shapes,
 *   layerIndex: l, layers: <layers so far>})` with `master = deriveSeed(rng)`; biases are zeros of length
 *   `shapes[l][0]` in the requested `dtype`.
 * Every built-in entry rejects option keys it does not read (DomainError naming the key; params.ts `checkedOptions`);
 * `dtype` is accepted by all of them.
 */
export function initializeNetwork(
  name: string,
  shapes: readonly Shape[],
  rng: RandomSource,
  options: InitOptions = {},
  context: InitContext = {},
): LayerTensors[] {
  const entry = getInitializer(name);
  checkShapes(shapes);
  checkRng(rng);
  const ctx = parseContext(context);
  const opts = optionsRecord(options);
  if (entry.kind === 'network') return entry.init(shapes, rng, opts, ctx);
  const dtype = resolveDType(opts['dtype'], 'options.dtype');
  const master = deriveSeed(rng);
  const layers: LayerTensors[] = [];
  shapes.forEach((shape, l) => {
    const W = entry.init(shape, createStream(master, l), opts, { ...ctx, shapes, layerIndex: l, layers: layers.slice() });
    layers.push({ W, b: allocate(shape[0] as number, dtype), shape: [...shape] });
  });
  return layers;
}

