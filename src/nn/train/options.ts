/**
 * The options of `fit`, parsed once at the boundary into a typed record: unknown keys rejected (`checkedOptions`),
 * every value checked with a typed error naming it as the caller wrote it (`options.epochs`, `options.callbacks.every`).
 */
import { DomainError, describe } from '../../core/errors.js';
import { booleanParam, checkedOptions, optionKeys } from '../../core/options.js';
import { positiveIntParam, positiveParam } from '../../init/index.js';
import type { DataLoader } from '../data/index.js';
import type { LrControl } from '../optim/index.js';
import type { LayerWeightDiagnostics } from '../diagnostics.js';
import { checkLoader, resolveLoss, type LossFn, type LossSpec } from './loss.js';
import type { Trainable } from './model.js';

/** One optimizer step as `fit` records it. */
export interface StepRecord {
  /** Global step index, 0-based. */
  readonly step: number;
  /** Epoch (pass over the loader) the step belongs to, 0-based. */
  readonly epoch: number;
  /** The batch loss before the update. */
  readonly loss: number;
  /** The learning rate of each parameter group used by this step (before the scheduler advanced). */
  readonly lr: readonly number[];
  /** Joint 2-norm of the gradients before clipping (only with `clipNorm`). */
  readonly gradNorm?: number;
}

/** One epoch as `fit` records it. */
export interface EpochRecord {
  readonly epoch: number;
  /** Steps run in this epoch (fewer than the loader's length when `steps` ends the run mid-epoch). */
  readonly steps: number;
  /** Mean of the epoch's batch losses (each taken before its update). */
  readonly trainLoss: number;
  /** `evaluate` on `evalData` at the end of the epoch (when given). */
  readonly evalLoss?: number;
  readonly evalAccuracy?: number;
}

/** What callbacks receive besides the record. */
export interface CallbackContext {
  readonly model: Trainable;
  /** Per-layer weight and weight-gradient moments now (after the update; `weightDiagnostics(model)`), computed on call. */
  diagnostics(): LayerWeightDiagnostics[];
}

/** Callbacks of `fit`. A callback's exception ends `fit` (it propagates unchanged). */
export interface FitCallbacks {
  /** Called after every `every`-th step (steps every−1, 2·every−1, …). */
  readonly onStep?: (record: StepRecord, ctx: CallbackContext) => void;
  /** Called after each epoch record is written (after the evaluation on `evalData`). */
  readonly onEpoch?: (record: EpochRecord, ctx: CallbackContext) => void;
  /** Steps between `onStep` calls (a positive integer); default 1. */
  readonly every?: number;
}

/** What `fit` needs from an optimizer: an LrControl with `zeroGrad` and `step` (SGD, Adam, AdamW). */
export type FitOptimizer = LrControl & { zeroGrad(): void; step(): void };

/** Options of `fit`. Exactly one of `epochs` and `steps`. */
export interface FitOptions {
  readonly data: DataLoader;
  readonly loss: LossSpec;
  readonly optimizer: FitOptimizer;
  /** Full passes over `data` (a positive integer). */
  readonly epochs?: number;
  /** Optimizer steps in all (a positive integer); passes over `data` follow one another (epoch 0, 1, …). */
  readonly steps?: number;
  /** Evaluated at the end of each epoch with the same loss (`evaluate`). */
  readonly evalData?: DataLoader;
  readonly callbacks?: FitCallbacks;
  /** Advanced once after every optimizer step (an `LrScheduler`, or anything with `step()`). */
  readonly scheduler?: { step(): void };
  /** Clip the joint gradient 2-norm to this value before each update (`clipGradNorm`; a positive number). */
  readonly clipNorm?: number;
  /** Progress bar on stderr when it is a TTY (default true); never drawn when stderr is not a TTY. */
  readonly progress?: boolean;
  /** Record `weightDiagnostics(model)` in the result every `every` steps (a positive integer); default never. */
  readonly every?: number;
}

const FIT_KEYS = optionKeys<FitOptions>({
  data: true, loss: true, optimizer: true, epochs: true, steps: true, evalData: true, callbacks: true, scheduler: true,
  clipNorm: true, progress: true, every: true,
});
const CALLBACK_KEYS = optionKeys<FitCallbacks>({ onStep: true, onEpoch: true, every: true });

/** The parsed options. */
export interface ResolvedFit {
  readonly data: DataLoader;
  readonly loss: LossFn;
  readonly optimizer: FitOptimizer;
  /** Total steps of the run. */
  readonly totalSteps: number;
  readonly evalData: DataLoader | null;
  readonly evalLoss: LossFn | null;
  readonly onStep: FitCallbacks['onStep'] | null;
  readonly onEpoch: FitCallbacks['onEpoch'] | null;
  readonly callbackEvery: number;
  readonly scheduler: { step(): void } | null;
  readonly clipNorm: number | null;
  readonly progress: boolean;
  readonly every: number | null;
}

function optionalFn<F>(name: string, v: unknown): F | null {
  if (v === undefined) return null;
  if (typeof v !== 'function') throw new DomainError(`${name} must be a function, got ${describe(v)}`);
  return v as F;
}

function checkOptimizer(v: unknown): FitOptimizer {
  const o = v as Partial<FitOptimizer> | null;
  const ok = typeof o === 'object' && o !== null && ['zeroGrad', 'step', 'getLr', 'setLr'].every((k) => typeof (o as Record<string, unknown>)[k] === 'function');
  if (!ok) throw new DomainError(`options.optimizer must be an optimizer (SGD, Adam, AdamW: zeroGrad, step, getLr, setLr, groupCount), got ${describe(v)}`);
  positiveIntParam('options.optimizer.groupCount', (o as FitOptimizer).groupCount);
  return o as FitOptimizer;
}

/** Parse `fit`'s options (see FitOptions); every fault is a DomainError naming the option. */
export function parseFitOptions(options: unknown): ResolvedFit {
  const o = checkedOptions('fit', options, FIT_KEYS);
  const data = checkLoader(o['data'], 'options.data');
  const loss = resolveLoss(o['loss'], data, 'options.loss');
  const optimizer = checkOptimizer(o['optimizer']);
  if ((o['epochs'] === undefined) === (o['steps'] === undefined)) {
    throw new DomainError(`fit needs exactly one of options.epochs and options.steps, got epochs ${describe(o['epochs'])}, steps ${describe(o['steps'])}`);
  }
  if (data.length === 0) throw new DomainError('options.data yields no batch per epoch (dropLast with fewer samples than batchSize)');
  const totalSteps = o['epochs'] !== undefined ? positiveIntParam('options.epochs', o['epochs']) * data.length : positiveIntParam('options.steps', o['steps']);
  const evalData = o['evalData'] === undefined ? null : checkLoader(o['evalData'], 'options.evalData');
  const evalLoss = evalData === null ? null : resolveLoss(o['loss'], evalData, 'options.loss (for options.evalData)');
  const cb = checkedOptions('fit', o['callbacks'], CALLBACK_KEYS, 'options.callbacks');
  const sched = o['scheduler'];
  if (sched !== undefined && (typeof sched !== 'object' || sched === null || typeof (sched as { step?: unknown }).step !== 'function')) {
    throw new DomainError(`options.scheduler must be an LrScheduler (an object with step()), got ${describe(sched)}`);
  }
  return {
    data, loss, optimizer, totalSteps, evalData, evalLoss,
    onStep: optionalFn('options.callbacks.onStep', cb['onStep']),
    onEpoch: optionalFn('options.callbacks.onEpoch', cb['onEpoch']),
    callbackEvery: positiveIntParam('options.callbacks.every', cb['every'], 1),
    scheduler: sched === undefined ? null : (sched as { step(): void }),
    clipNorm: o['clipNorm'] === undefined ? null : positiveParam('options.clipNorm', o['clipNorm']),
    progress: booleanParam('options.progress', o['progress'], true),
    every: o['every'] === undefined ? null : positiveIntParam('options.every', o['every']),
  };
}
