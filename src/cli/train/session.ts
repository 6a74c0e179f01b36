/**
 * One training run of `initlab train`: the model and optimizer of a configuration, the loop (`fit` over a loader that
 * starts at the saved position), and checkpoints holding everything a resumed run needs to continue bit-exactly:
 * parameters, optimizer state, position (step, epoch, batch: the loader's order is a function of seed and epoch) and
 * the loss history so far.
 */
import { lrGroups } from '../../experiments/compare/train.js';
import type { SchemeSpec } from '../../experiments/compare/types.js';
import type { InitOptions } from '../../init/index.js';
import {
  Adam, AdamW, CheckpointError, DataLoader, fit, loadCheckpoint, meanFieldLrGroups, mlp, pairLayers, readCheckpoint, saveCheckpoint, scalingLrGroups, SGD,
  type Batch, type ClassLabels, type Dataset, type LayerGroup, type LayerParams, type Sequential,
} from '../../nn/index.js';
import { Tensor } from '../../tensor/index.js';
import type { DataFingerprint } from './data.js';

/** Activations `train` offers: deterministic ones only (RReLU's training-time slopes would not resume bit-exactly). */
export const TRAIN_ACTIVATIONS = ['relu', 'leaky_relu', 'sigmoid', 'tanh'] as const;

/** Everything that must be the same for a checkpoint to continue a run. */
export interface TrainConfig {
  readonly widths: readonly number[];
  readonly scheme: string;
  readonly schemeName: string;
  readonly schemeOptions: InitOptions;
  readonly activation: (typeof TRAIN_ACTIVATIONS)[number];
  readonly optimizer: 'sgd' | 'adam' | 'adamw';
  readonly lr: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly batch: number;
  readonly seed: number;
  readonly dtype: 'float32' | 'float64';
  readonly lrRule: SchemeSpec['lrRule'];
  readonly data: DataFingerprint;
}

/** The flag each config field comes from, for mismatch messages. */
const FLAG_OF: Record<keyof TrainConfig, string> = {
  widths: '--arch', scheme: '--scheme', schemeName: '--scheme', schemeOptions: '--scheme', activation: '--activation', optimizer: '--optimizer',
  lr: '--lr', momentum: '--momentum', weightDecay: '--weight-decay', batch: '--batch', seed: '--seed', dtype: '--dtype', lrRule: '--lr-rule',
  data: '--data',
};

/** Where a run stands: optimizer steps done, and the epoch and batch the next step takes. */
export interface Position {
  readonly step: number;
  readonly epoch: number;
  readonly batch: number;
}

export type TrainOptimizer = SGD | Adam | AdamW;

const CONFIG_KEY = 'initlab.train.config';
const POSITION_KEY = 'initlab.train.position';
const HISTORY = 'history/loss';

/** The loader order's seed: an offset of the run's seed, so the data order is not the weight stream. */
const loaderSeed = (seed: number): bigint => BigInt(seed) + 1_000_003n;

/**
 * A DataLoader whose epoch e is epoch `startEpoch + e` of the run, the first one without its first `skip` batches:
 * `fit` over it continues a run at a saved position with exactly the batches an uninterrupted run would see.
 */
class ResumedLoader extends DataLoader<ClassLabels> {
  constructor(dataset: Dataset<ClassLabels>, batchSize: number, seed: number, private readonly start: Position) {
    super(dataset, { batchSize, seed: loaderSeed(seed) });
  }

  override *epoch(e: number): Generator<Batch<ClassLabels>> {
    let k = 0;
    for (const b of super.epoch(this.start.epoch + e)) if (e > 0 || k++ >= this.start.batch) yield b;
  }
}

/** The position after `step` steps with `perEpoch` batches per epoch (`fit` always finishes an epoch before the next). */
export function positionAt(step: number, perEpoch: number): Position {
  return { step, epoch: Math.floor(step / perEpoch), batch: step % perEpoch };
}

/** The ReLU MLP of the config, drawn by its scheme (data-anchored schemes see the first ≤ 512 training samples). */
export function buildModel(cfg: TrainConfig, train: Dataset<ClassLabels>): Sequential {
  const d = cfg.widths[0] as number;
  const m = Math.min(train.shape[0] as number, 512);
  return mlp({
    widths: cfg.widths, activation: cfg.activation, init: cfg.schemeName, initOptions: cfg.schemeOptions, seed: cfg.seed, dtype: cfg.dtype,
    data: { x: train.x.subarray(0, m * d), shape: [m, d] },
  });
}

/** Learning-rate groups under the config's rule (null: every parameter at `lr`), as `compare` makes them. */
function layerGroups(cfg: TrainConfig, model: Sequential): LayerGroup[] | null {
  return lrGroups({ id: cfg.scheme, lrRule: cfg.lrRule, options: cfg.schemeOptions }, model, { widths: cfg.widths, lr: cfg.lr, optimizer: cfg.optimizer === 'sgd' ? 'sgd' : 'adam' });
}

/** The optimizer of the config over the model's parameters (per-layer groups under a non-uniform rule). */
export function buildOptimizer(cfg: TrainConfig, model: Sequential): TrainOptimizer {
  const groups = layerGroups(cfg, model);
  const params = groups ?? [{ name: 'all', params: model.namedParameters().map(([name, tensor]) => ({ name, tensor })) }];
  if (cfg.optimizer === 'sgd') return new SGD(params, { lr: cfg.lr, momentum: cfg.momentum, weightDecay: cfg.weightDecay });
  return cfg.optimizer === 'adam' ? new Adam(params, { lr: cfg.lr, weightDecay: cfg.weightDecay }) : new AdamW(params, { lr: cfg.lr, weightDecay: cfg.weightDecay });
}

/** Write a checkpoint of the run at `position` with its loss history. */
export function saveRun(file: string, cfg: TrainConfig, model: Sequential, optimizer: TrainOptimizer, position: Position, history: readonly number[]): void {
  saveCheckpoint(model, file, {
    optimizer,
    tensors: { [HISTORY]: new Tensor(Float64Array.from(history), [history.length]) },
    metadata: { [CONFIG_KEY]: JSON.stringify(cfg), [POSITION_KEY]: JSON.stringify(position) },
  });
}

/**
 * Check that checkpoint `file` was written by a run of `cfg` (a CheckpointError 'config' naming the first flag that
 * differs, with both values) and return its position. Reads the file without applying it.
 */
export function checkResumable(file: string, cfg: TrainConfig): Position {
  const { metadata } = readCheckpoint(file);
  const raw = metadata[CONFIG_KEY];
  const pos = metadata[POSITION_KEY];
  if (raw === undefined || pos === undefined) throw new CheckpointError('is not a checkpoint of initlab train (no run configuration in its metadata)', file, null, 'config');
  const saved = parseJson(file, CONFIG_KEY, raw);
  for (const key of Object.keys(FLAG_OF) as (keyof TrainConfig)[]) {
    const a = JSON.stringify(saved[key]);
    const b = JSON.stringify(cfg[key]);
    if (a !== b) throw new CheckpointError(`was written by a run with ${FLAG_OF[key]} ${a}, this run has ${b}; resume with the same settings`, file, null, 'config');
  }
  const p = parseJson(file, POSITION_KEY, pos);
  const int = (k: keyof Position): number => {
    const v = p[k];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new CheckpointError(`"${POSITION_KEY}".${k} must be an integer ≥ 0, got ${JSON.stringify(v)}`, file, null, 'header');
    return v;
  };
  return { step: int('step'), epoch: int('epoch'), batch: int('batch') };
}

/** A JSON object from the metadata entry `key` of checkpoint `file` (CheckpointError 'header' otherwise). */
function parseJson(file: string, key: string, text: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(`"${key}" is not valid JSON: ${(e as Error).message}`, file, null, 'header');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new CheckpointError(`"${key}" must be a JSON object, got ${text.slice(0, 80)}`, file, null, 'header');
  return v as Record<string, unknown>;
}

/** Load checkpoint `file` into the model and optimizer; its loss history (one loss per step done). */
export function loadRun(file: string, model: Sequential, optimizer: TrainOptimizer, position: Position): number[] {
  const { tensors } = loadCheckpoint(model, file, optimizer);
  const h = tensors.get(HISTORY);
  if (h === undefined || h.size !== position.step) {
    throw new CheckpointError(`must hold one loss per step done (${position.step}), got ${h === undefined ? 'none' : h.size}`, file, HISTORY, 'missing');
  }
  return Array.from(h.dense());
}

/** What one call of `trainFrom` did. */
export interface LoopResult {
  /** Every step's loss from step 0 (the resumed history first). */
  readonly history: number[];
  readonly position: Position;
  /** Why training stopped early (a non-finite loss), or null. */
  readonly stopped: string | null;
}

/**
 * Continue training from `start` (with `history` the losses before it) until `totalSteps` steps are done: `fit` over
 * the loader positioned at `start`, so the batches, updates and losses are those of an uninterrupted run.
 * `onStep(position, loss)` runs after each step (progress, periodic checkpoints).
 */
export function trainFrom(
  cfg: TrainConfig, model: Sequential, optimizer: TrainOptimizer, train: Dataset<ClassLabels>, start: Position, history: number[], totalSteps: number,
  onStep: (position: Position, loss: number, history: readonly number[]) => void,
): LoopResult {
  const loader = new ResumedLoader(train, cfg.batch, cfg.seed, start);
  const perEpoch = loader.length;
  const out = history.slice();
  const result = fit(model, {
    data: loader, loss: 'cross_entropy', optimizer, steps: totalSteps - start.step, progress: false,
    callbacks: { onStep: (r) => {
      out.push(r.loss);
      onStep(positionAt(start.step + r.step + 1, perEpoch), r.loss, out);
    } },
  });
  return { history: out, position: positionAt(out.length, perEpoch), stopped: result.stopped?.reason ?? null };
}
