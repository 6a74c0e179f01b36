/**
 * Learning-rate schedules as pure functions of the step, and a scheduler that applies one to every parameter group:
 * group g's rate at step t is lr_g(t) = lr_g(0) · s(t), so per-layer rates (Defazio–Bottou multipliers, mean-field
 * rates) keep their ratios while the schedule runs (PyTorch's `LambdaLR` with a shared lambda).
 */
import { DomainError, NonFiniteError, describe } from '../../core/errors.js';
import { checkElementCount } from '../../core/shape.js';
import { checkedOptions, nonNegativeIntParam, nonNegativeParam, optionKeys, positiveIntParam, rangeParam } from '../../init/index.js';
import type { LrControl } from './optimizer.js';

/** A schedule: the factor s(t) ≥ 0 multiplying each group's base learning rate at step t = 0, 1, 2, …. */
export type LrSchedule = (step: number) => number;

function checkStep(step: number, fn: string): void {
  if (!Number.isSafeInteger(step) || step < 0) throw new DomainError(`${fn}: step must be an integer ≥ 0, got ${describe(step)}`);
}

/** Options of `stepDecay`. */
export interface StepDecayOptions {
  /** Steps between decays (a positive integer). */
  readonly stepSize: number;
  /** Factor applied at each decay, in (0, 1]; default 0.1 (PyTorch's StepLR default). */
  readonly gamma?: number;
}

/**
 * Step decay (PyTorch `StepLR`): s(t) = γ^⌊t / stepSize⌋. Options are checked once, here.
 * E.g. `stepDecay({ stepSize: 100, gamma: 0.5 })(250) = 0.25`.
 */
export function stepDecay(options: StepDecayOptions): LrSchedule {
  const o = checkedOptions('stepDecay', options, optionKeys<StepDecayOptions>({ stepSize: true, gamma: true }));
  const stepSize = positiveIntParam('options.stepSize', o['stepSize']);
  const gamma = rangeParam('options.gamma', o['gamma'], 0, 1, { dflt: 0.1, openLo: true });
  return (t) => {
    checkStep(t, 'stepDecay');
    return Math.pow(gamma, Math.floor(t / stepSize));
  };
}

/** Options of `cosineWarmup`. */
export interface CosineWarmupOptions {
  /** Warm-up steps W ≥ 0 (an integer; 0: no warm-up). */
  readonly warmupSteps: number;
  /** Step T > W at which the cosine reaches its floor (an integer). */
  readonly totalSteps: number;
  /** Floor m ∈ [0, 1] of the factor after the decay; default 0. */
  readonly minFactor?: number;
  /** Factor s0 ∈ [0, 1] at step 0 of the warm-up; default 0. */
  readonly warmupStartFactor?: number;
}

/**
 * Linear warm-up then cosine decay (Loshchilov & Hutter, "SGDR", ICLR 2017, arXiv:1608.03983, without restarts;
 * Goyal et al. 2017, arXiv:1706.02677, for the warm-up; PyTorch `LinearLR` then `CosineAnnealingLR` in a
 * `SequentialLR`):
 *
 *     s(t) = s0 + (1 − s0) · t / W                         for t < W
 *     s(t) = m + (1 − m) · (1 + cos(π (t − W) / (T − W))) / 2   for W ≤ t ≤ T
 *     s(t) = m                                             for t > T
 *
 * so s(W) = 1 and s(T) = m, continuous at both edges.
 */
export function cosineWarmup(options: CosineWarmupOptions): LrSchedule {
  const keys = optionKeys<CosineWarmupOptions>({ warmupSteps: true, totalSteps: true, minFactor: true, warmupStartFactor: true });
  const o = checkedOptions('cosineWarmup', options, keys);
  const W = nonNegativeIntParam('options.warmupSteps', o['warmupSteps']);
  const T = positiveIntParam('options.totalSteps', o['totalSteps']);
  if (T <= W) throw new DomainError(`options.totalSteps must be greater than options.warmupSteps (${W}), got ${T}`);
  const m = rangeParam('options.minFactor', o['minFactor'], 0, 1, { dflt: 0 });
  const s0 = rangeParam('options.warmupStartFactor', o['warmupStartFactor'], 0, 1, { dflt: 0 });
  return (t) => {
    checkStep(t, 'cosineWarmup');
    if (t < W) return s0 + ((1 - s0) * t) / W;
    if (t >= T) return m;
    return m + ((1 - m) * (1 + Math.cos((Math.PI * (t - W)) / (T - W)))) / 2;
  };
}

/**
 * The base rates of `optimizer`, checked: an LrControl (an optimizer, or an object with a positive integer groupCount
 * and methods getLr / setLr) whose rates are finite numbers ≥ 0.
 */
function baseRates(optimizer: unknown): number[] {
  const o = optimizer as Partial<LrControl> | null;
  if (typeof o !== 'object' || o === null || typeof o.getLr !== 'function' || typeof o.setLr !== 'function') {
    throw new DomainError(`optimizer must be an optimizer (SGD, Adam, AdamW) or an LrControl { groupCount, getLr, setLr }, got ${describe(optimizer)}`);
  }
  const getLr = o.getLr;
  const count = positiveIntParam('optimizer.groupCount', o.groupCount);
  checkElementCount('optimizer.groupCount', count);
  return Array.from({ length: count }, (_, i) => nonNegativeParam(`optimizer.getLr(${i})`, getLr.call(o, i)));
}

/**
 * Applies a schedule to an optimizer's groups: at construction it records each group's rate as its base and sets
 * lr_g = base_g · s(0); each `step()` advances t by one and sets lr_g = base_g · s(t). Call it after
 * `optimizer.step()`, as in PyTorch. `optimizer` must be an LrControl with finite rates ≥ 0 and `schedule` a function
 * (DomainErrors naming them, the optimizer first).
 */
export class LrScheduler {
  private readonly base: readonly number[];
  private t = 0;

  constructor(
    private readonly optimizer: LrControl,
    private readonly schedule: LrSchedule,
  ) {
    this.base = baseRates(optimizer);
    if (typeof schedule !== 'function') throw new DomainError(`schedule must be a function (step) => factor, got ${describe(schedule)}`);
    this.apply();
  }

  /** The current step t (0 right after construction). */
  get stepCount(): number {
    return this.t;
  }

  /** The base rates lr_g(0) the schedule multiplies. */
  get baseLrs(): readonly number[] {
    return this.base;
  }

  /** The rates now set on the optimizer's groups. */
  currentLrs(): number[] {
    return this.base.map((_, i) => this.optimizer.getLr(i));
  }

  /** Advance one step and set every group's rate (PyTorch's `scheduler.step()`). */
  step(): void {
    this.t++;
    this.apply();
  }

  private apply(): void {
    const f = this.schedule(this.t);
    if (typeof f !== 'number' || !Number.isFinite(f) || f < 0) {
      const E = typeof f === 'number' && !Number.isFinite(f) ? NonFiniteError : DomainError;
      throw new E(`schedule(${this.t}) must be a finite factor ≥ 0, got ${describe(f)}`);
    }
    this.base.forEach((b, i) => this.optimizer.setLr(i, b * f));
  }
}
