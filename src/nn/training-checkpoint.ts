/**
 * Training checkpoints: one safetensors file (checkpoint.ts) holding the model's parameters, the optimizer's state
 * (momentum buffers, Adam moments and step counts, as tensors `optimizer/<param>/<buffer>` plus the groups and
 * counters in the header's `initlab.optimizer` entry), extra tensors such as a loss history (`history/loss`) and
 * string metadata (e.g. the run's configuration and position). Loading one restores everything a run needs to
 * continue bit-exactly; every part is checked before the model or the optimizer is changed.
 */
import { DomainError, describe } from '../core/errors.js';
import type { FloatArray } from '../core/index.js';
import { Tensor } from '../tensor/index.js';
import {
  CheckpointError, checkMetadata, checkPath, checkState, encodeSafetensors, modelParams, readFile, stateEntries, writeAtomic, writeState,
  type HasParameters,
} from './checkpoint.js';
import type { OptimizerStateDict, ParamStateDict } from './optim/index.js';

/** What a checkpoint needs from an optimizer (SGD, Adam, AdamW). */
export interface StatefulOptimizer {
  stateDict(): OptimizerStateDict;
  loadStateDict(state: OptimizerStateDict): void;
}

/** What `saveCheckpoint` writes besides the model. */
export interface CheckpointContents {
  readonly optimizer?: StatefulOptimizer;
  /** Extra tensors by name; each name holds a '/' (so it is never a parameter) and does not start with `optimizer/`. */
  readonly tensors?: ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>;
  /** String pairs of the header's `__metadata__` (the key `initlab.optimizer` is reserved). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** What `loadCheckpoint` and `readCheckpoint` return. */
export interface LoadedCheckpoint {
  readonly metadata: Record<string, string>;
  /** The extra tensors (not the parameters, not the optimizer's state). */
  readonly tensors: Map<string, Tensor>;
}

const OPTIMIZER_KEY = 'initlab.optimizer';
const OPTIMIZER_PREFIX = 'optimizer/';

/** The optimizer's state as tensors and one JSON header entry. */
function encodeOptimizer(state: OptimizerStateDict): { entries: [string, Tensor][]; json: string } {
  const entries: [string, Tensor][] = [];
  const buffers: Record<string, string[]> = {};
  const scalars: Record<string, Readonly<Record<string, number>>> = {};
  for (const [param, s] of Object.entries(state.state)) {
    buffers[param] = Object.keys(s.buffers);
    scalars[param] = s.scalars;
    for (const [b, a] of Object.entries(s.buffers)) entries.push([`${OPTIMIZER_PREFIX}${param}/${b}`, new Tensor(a.slice(), [a.length])]);
  }
  return { entries, json: JSON.stringify({ optimizer: state.optimizer, groups: state.groups, buffers, scalars }) };
}

/** The optimizer state of a decoded file, or a CheckpointError naming what is missing or malformed. */
function decodeOptimizer(file: string, json: string | undefined, byName: Map<string, Tensor>): OptimizerStateDict {
  if (json === undefined) throw new CheckpointError(`holds no optimizer state (no "${OPTIMIZER_KEY}" metadata): it was saved without an optimizer`, file, null, 'missing');
  let o: { optimizer?: unknown; groups?: unknown; buffers?: unknown; scalars?: unknown };
  try {
    o = JSON.parse(json) as typeof o;
  } catch (e) {
    throw new CheckpointError(`"${OPTIMIZER_KEY}" is not valid JSON: ${(e as Error).message}`, file, null, 'header');
  }
  const rec = (v: unknown, what: string): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new CheckpointError(`"${OPTIMIZER_KEY}".${what} must be an object, got ${describe(v)}`, file, null, 'header');
    return v as Record<string, unknown>;
  };
  const buffers = rec(o.buffers, 'buffers');
  const scalars = rec(o.scalars, 'scalars');
  const state: Record<string, ParamStateDict> = {};
  for (const [param, names] of Object.entries(buffers)) {
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
      throw new CheckpointError(`"${OPTIMIZER_KEY}".buffers.${param} must be a list of buffer names, got ${describe(names)}`, file, null, 'header');
    }
    const bufs: Record<string, FloatArray> = {};
    for (const b of names as string[]) {
      const t = byName.get(`${OPTIMIZER_PREFIX}${param}/${b}`);
      if (t === undefined) throw new CheckpointError('is missing (the optimizer state lists it)', file, `${OPTIMIZER_PREFIX}${param}/${b}`, 'missing');
      bufs[b] = t.dense();
    }
    state[param] = { buffers: bufs, scalars: rec(scalars[param] ?? {}, `scalars.${param}`) as Record<string, number> };
  }
  // The group records and the optimizer name are checked by the optimizer's loadStateDict.
  return { optimizer: o.optimizer as string, groups: o.groups as OptimizerStateDict['groups'], state };
}

/**
 * Write the model's parameters, the optimizer's state, extra tensors and metadata to `path` (ending in
 * `.safetensors`) atomically (temporary file, fsync, rename). `loadState` of the file restores just the parameters.
 */
export function saveCheckpoint(model: HasParameters, path: string, contents: CheckpointContents = {}): void {
  const params = modelParams(model, typeof path === 'string' ? path : null);
  const file = checkPath(path, 'saveCheckpoint', true);
  if (typeof contents !== 'object' || contents === null) throw new CheckpointError(`contents must be an object { optimizer?, tensors?, metadata? }, got ${describe(contents)}`, file, null, 'model');
  const metadata = { ...(checkMetadata(contents.metadata, 'contents.metadata', file) ?? {}) };
  if (OPTIMIZER_KEY in metadata) throw new CheckpointError(`contents.metadata must not use the reserved key "${OPTIMIZER_KEY}"`, file, null, 'header');
  const extra = contents.tensors === undefined ? [] : stateEntries(contents.tensors, file);
  for (const [name] of extra) {
    if (!name.includes('/') || name.startsWith(OPTIMIZER_PREFIX)) {
      throw new CheckpointError(`an extra tensor's name must hold a '/' and not start with "${OPTIMIZER_PREFIX}" (e.g. "history/loss")`, file, name, 'header');
    }
  }
  const entries: [string, Tensor][] = [...params, ...extra];
  const opt = contents.optimizer;
  if (opt !== undefined) {
    if (typeof opt !== 'object' || opt === null || typeof (opt as { stateDict?: unknown }).stateDict !== 'function') {
      throw new CheckpointError(`contents.optimizer must be an optimizer (SGD, Adam, AdamW), got ${describe(opt)}`, file, null, 'optimizer');
    }
    const { entries: optEntries, json } = encodeOptimizer(opt.stateDict());
    entries.push(...optEntries);
    metadata[OPTIMIZER_KEY] = json;
  }
  writeAtomic(file, encodeSafetensors(entries, metadata));
}

/** Read a checkpoint file without applying it: its metadata and extra tensors (to check a run's config first). */
export function readCheckpoint(path: string): LoadedCheckpoint {
  const file = checkPath(path, 'readCheckpoint', false);
  const { entries, metadata } = readFile(file);
  const tensors = new Map(entries.filter(([n]) => n.includes('/') && !n.startsWith(OPTIMIZER_PREFIX)));
  const { [OPTIMIZER_KEY]: _optimizer, ...rest } = metadata;
  return { metadata: rest, tensors };
}

/**
 * Load `path` (from `saveCheckpoint`) into the model and, when given, the optimizer (which must be built over the
 * same parameters with the same hyperparameters; its learning rates are restored). Returns the metadata and the
 * extra tensors. The parameters (names, shapes, dtypes) and the optimizer state are checked before anything is
 * written: on a CheckpointError (naming the file and the tensor or entry) model and optimizer are unchanged.
 */
export function loadCheckpoint(model: HasParameters, path: string, optimizer?: StatefulOptimizer): LoadedCheckpoint {
  const params = modelParams(model, typeof path === 'string' ? path : null);
  const file = checkPath(path, 'loadCheckpoint', false);
  if (optimizer !== undefined && (typeof optimizer !== 'object' || optimizer === null || typeof optimizer.loadStateDict !== 'function')) {
    throw new CheckpointError(`optimizer must be an optimizer (SGD, Adam, AdamW) or undefined, got ${describe(optimizer)}`, file, null, 'optimizer');
  }
  const { entries, metadata } = readFile(file);
  const byName = new Map(entries);
  const checked = checkState(params, entries.filter(([n]) => !n.includes('/')), file);
  if (optimizer !== undefined) {
    const state = decodeOptimizer(file, metadata[OPTIMIZER_KEY], byName);
    try {
      optimizer.loadStateDict(state);
    } catch (e) {
      if (e instanceof DomainError) throw new CheckpointError(`the optimizer state does not fit this optimizer: ${e.message}`, file, null, 'optimizer');
      throw e;
    }
  }
  writeState(params, checked);
  const { [OPTIMIZER_KEY]: _optimizer, ...rest } = metadata;
  return { metadata: rest, tensors: new Map(entries.filter(([n]) => n.includes('/') && !n.startsWith(OPTIMIZER_PREFIX))) };
}
