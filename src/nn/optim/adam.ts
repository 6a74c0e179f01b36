/**
 * Adam and AdamW with the semantics of PyTorch's `torch.optim.Adam` / `torch.optim.AdamW`
 * (https://pytorch.org/docs/stable/generated/torch.optim.Adam.html, …/torch.optim.AdamW.html): bias-corrected
 * moments, ε added to the bias-corrected √v̂, optional AMSGrad; Adam's weight decay is an L2 term in the gradient,
 * AdamW's is decoupled (Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019, arXiv:1711.05101).
 */
import { DomainError, describe } from '../../core/errors.js';
import type { FloatArray } from '../../core/index.js';
import { booleanParam, nonNegativeParam, optionKeys, rangeParam } from '../../init/index.js';
import type { Tensor } from '../../tensor/index.js';
import { Optimizer } from './optimizer.js';
import { onlyKeys, stateBuffer, stateCount, type ParamStateDict } from './state.js';
import type { ParamGroupSpec, ParamLike } from './params.js';

/** Adam / AdamW hyperparameters, per group or as defaults for every group. */
export interface AdamOptions {
  /** Learning rate η ≥ 0; default 1e-3. */
  readonly lr?: number;
  /** (β1, β2), each in [0, 1); default [0.9, 0.999]. */
  readonly betas?: readonly [number, number];
  /** ε ≥ 0 added to the denominator; default 1e-8. */
  readonly eps?: number;
  /** Weight decay λ ≥ 0; default 0 for Adam (L2 in the gradient), 0.01 for AdamW (decoupled). */
  readonly weightDecay?: number;
  /** AMSGrad (Reddi et al., ICLR 2018): divide by the running maximum of v; default false. */
  readonly amsgrad?: boolean;
}

/** Resolved Adam hyperparameters of one group. */
export type AdamHyper = { readonly [K in keyof AdamOptions]-?: NonNullable<AdamOptions[K]> };

/** State of one parameter (buffers in the parameter's dtype). */
export interface AdamState {
  /** Number of updates this parameter has had (t). */
  step: number;
  /** First moment m (exponential average of g). */
  readonly expAvg: FloatArray;
  /** Second moment v (exponential average of g²). */
  readonly expAvgSq: FloatArray;
  /** max over steps of v (AMSGrad only; null otherwise). */
  readonly maxExpAvgSq: FloatArray | null;
}

/** The option keys of Adam and AdamW. */
export const ADAM_KEYS = optionKeys<AdamOptions>({ lr: true, betas: true, eps: true, weightDecay: true, amsgrad: true });

function parseBetas(where: string, value: unknown, dflt: readonly [number, number]): readonly [number, number] {
  if (value === undefined) return dflt;
  if (!Array.isArray(value) || value.length !== 2) {
    throw new DomainError(`${where}.betas must be a pair [beta1, beta2], got ${describe(value)}`);
  }
  const b1 = rangeParam(`${where}.betas[0]`, value[0], 0, 1, { openHi: true });
  const b2 = rangeParam(`${where}.betas[1]`, value[1], 0, 1, { openHi: true });
  return Object.freeze([b1, b2] as const);
}

const adamParser =
  (defaultDecay: number) =>
  (o: Record<string, unknown>, d: AdamHyper | undefined, where: string): AdamHyper => ({
    lr: nonNegativeParam(`${where}.lr`, o['lr'], d?.lr ?? 1e-3),
    betas: parseBetas(where, o['betas'], d?.betas ?? [0.9, 0.999]),
    eps: nonNegativeParam(`${where}.eps`, o['eps'], d?.eps ?? 1e-8),
    weightDecay: nonNegativeParam(`${where}.weightDecay`, o['weightDecay'], d?.weightDecay ?? defaultDecay),
    amsgrad: booleanParam(`${where}.amsgrad`, o['amsgrad'], d?.amsgrad ?? false),
  });

/** The Adam update shared by both classes; `decoupled` selects AdamW's weight decay. */
abstract class AdamBase extends Optimizer<AdamHyper, AdamState> {
  protected abstract readonly decoupled: boolean;

  protected override exportState(s: AdamState): ParamStateDict {
    const buffers: Record<string, FloatArray> = { expAvg: s.expAvg.slice(), expAvgSq: s.expAvgSq.slice() };
    if (s.maxExpAvgSq !== null) buffers['maxExpAvgSq'] = s.maxExpAvgSq.slice();
    return { buffers, scalars: { step: s.step } };
  }

  protected override importState(p: ParamStateDict, param: Tensor, group: AdamHyper, where: string): AdamState {
    onlyKeys(p.buffers, group.amsgrad ? ['expAvg', 'expAvgSq', 'maxExpAvgSq'] : ['expAvg', 'expAvgSq'], `${where}.buffers`);
    onlyKeys(p.scalars, ['step'], `${where}.scalars`);
    return {
      step: stateCount(p, 'step', where),
      expAvg: stateBuffer(p, 'expAvg', param, where),
      expAvgSq: stateBuffer(p, 'expAvgSq', param, where),
      maxExpAvgSq: group.amsgrad ? stateBuffer(p, 'maxExpAvgSq', param, where) : null,
    };
  }

  protected update(d: FloatArray, off: number, n: number, g: FloatArray, h: AdamHyper, param: Tensor): void {
    const { lr, eps, weightDecay: wd, amsgrad } = h;
    const [b1, b2] = h.betas;
    let s = this.stateMap.get(param);
    if (s === undefined) {
      const alloc = (): FloatArray => (param.dtype === 'float64' ? new Float64Array(n) : new Float32Array(n));
      s = { step: 0, expAvg: alloc(), expAvgSq: alloc(), maxExpAvgSq: amsgrad ? alloc() : null };
      this.stateMap.set(param, s);
    }
    const t = ++s.step;
    const stepSize = lr / (1 - Math.pow(b1, t));
    const bc2Sqrt = Math.sqrt(1 - Math.pow(b2, t));
    const m = s.expAvg;
    const v = s.expAvgSq;
    const vmax = s.maxExpAvgSq;
    // AdamW shrinks θ before the moment update; Adam adds λθ to the gradient.
    const shrink = this.decoupled ? 1 - lr * wd : 1;
    const l2 = this.decoupled ? 0 : wd;
    const w1 = 1 - b1;
    const w2 = 1 - b2;
    for (let i = 0; i < n; i++) {
      const p = d[off + i]! * shrink;
      const gi = g[i]! + l2 * d[off + i]!;
      m[i] = m[i]! + w1 * (gi - m[i]!); // PyTorch's lerp form of β1 m + (1 − β1) g
      v[i] = b2 * v[i]! + w2 * gi * gi;
      let vi = v[i]!;
      if (vmax !== null) vi = vmax[i] = Math.max(vmax[i]!, vi);
      d[off + i] = p - (stepSize * m[i]!) / (Math.sqrt(vi) / bc2Sqrt + eps);
    }
  }
}

/**
 * Adam (Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, arXiv:1412.6980), PyTorch semantics.
 * For each parameter θ with gradient g, at its t-th update:
 *
 *     g ← g + λ θ                                  (weightDecay λ: L2 penalty, coupled)
 *     m ← β1 m + (1 − β1) g,    v ← β2 v + (1 − β2) g²
 *     v' ← max(v'_prev, v) with amsgrad, else v
 *     θ ← θ − (η / (1 − β1^t)) · m / (√v' / √(1 − β2^t) + ε)
 *
 * ε is added after the bias correction of √v (as PyTorch does). Buffers keep the parameter's dtype; the arithmetic
 * is float64.
 */
export class Adam extends AdamBase {
  protected readonly decoupled = false;
  constructor(params: readonly ParamLike[] | readonly ParamGroupSpec<AdamOptions>[], options: AdamOptions = {}) {
    super('Adam', params, options, ADAM_KEYS, adamParser(0));
  }
}

/**
 * AdamW (Loshchilov & Hutter, ICLR 2019, arXiv:1711.05101), PyTorch semantics: Adam without the L2 term, the decay
 * applied to the parameter directly and scaled by the learning rate (not by the adaptive denominator):
 *
 *     θ ← θ (1 − η λ)
 *     m, v, v' as in Adam (from the raw gradient g)
 *     θ ← θ − (η / (1 − β1^t)) · m / (√v' / √(1 − β2^t) + ε)
 *
 * Default weightDecay λ = 0.01 (PyTorch's default).
 */
export class AdamW extends AdamBase {
  protected readonly decoupled = true;
  constructor(params: readonly ParamLike[] | readonly ParamGroupSpec<AdamOptions>[], options: AdamOptions = {}) {
    super('AdamW', params, options, ADAM_KEYS, adamParser(0.01));
  }
}
