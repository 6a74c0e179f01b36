/**
 * Stochastic gradient descent with momentum, Nesterov momentum and (coupled, L2) weight decay, with the semantics of
 * PyTorch's `torch.optim.SGD` (https://pytorch.org/docs/stable/generated/torch.optim.SGD.html).
 */
import { DomainError } from '../../core/errors.js';
import type { FloatArray } from '../../core/index.js';
import { booleanParam, nonNegativeParam, optionKeys, rangeParam } from '../../init/index.js';
import type { Tensor } from '../../tensor/index.js';
import { Optimizer } from './optimizer.js';
import { onlyKeys, stateBuffer, type ParamStateDict } from './state.js';
import type { ParamGroupSpec, ParamLike } from './params.js';

/** SGD hyperparameters, per group or as defaults for every group. */
export interface SgdOptions {
  /** Learning rate η ≥ 0; default 1e-3 (PyTorch's default). */
  readonly lr?: number;
  /** Momentum μ ≥ 0; default 0 (plain SGD). */
  readonly momentum?: number;
  /** Dampening τ ∈ [0, 1] of the gradient added to the momentum buffer; default 0. */
  readonly dampening?: number;
  /** L2 penalty λ ≥ 0 added to the gradient (g + λθ); default 0. */
  readonly weightDecay?: number;
  /** Nesterov momentum (needs μ > 0 and τ = 0); default false. */
  readonly nesterov?: boolean;
}

/** Resolved SGD hyperparameters of one group. */
export type SgdHyper = { readonly [K in keyof SgdOptions]-?: NonNullable<SgdOptions[K]> };

/** State of one parameter: the momentum buffer b (parameter dtype), absent while μ = 0. */
export interface SgdState {
  readonly momentumBuffer: FloatArray;
}

/** The option keys of SGD (`checkedOptions` rejects any other). */
export const SGD_KEYS = optionKeys<SgdOptions>({ lr: true, momentum: true, dampening: true, weightDecay: true, nesterov: true });

function parseSgd(o: Record<string, unknown>, d: SgdHyper | undefined, where: string): SgdHyper {
  const h: SgdHyper = {
    lr: nonNegativeParam(`${where}.lr`, o['lr'], d?.lr ?? 1e-3),
    momentum: nonNegativeParam(`${where}.momentum`, o['momentum'], d?.momentum ?? 0),
    dampening: rangeParam(`${where}.dampening`, o['dampening'], 0, 1, { dflt: d?.dampening ?? 0 }),
    weightDecay: nonNegativeParam(`${where}.weightDecay`, o['weightDecay'], d?.weightDecay ?? 0),
    nesterov: booleanParam(`${where}.nesterov`, o['nesterov'], d?.nesterov ?? false),
  };
  if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0)) {
    throw new DomainError(
      `${where}: Nesterov momentum needs momentum > 0 and dampening = 0, got momentum ${h.momentum}, dampening ${h.dampening}`,
    );
  }
  return h;
}

/**
 * SGD (PyTorch semantics). For each parameter θ with gradient g, at step t = 1, 2, …:
 *
 *     g ← g + λ θ                                   (weightDecay λ ≠ 0)
 *     b ← g            if t = 1,   b ← μ b + (1 − τ) g   otherwise   (momentum μ ≠ 0)
 *     g ← g + μ b      if nesterov,   g ← b   otherwise               (momentum μ ≠ 0)
 *     θ ← θ − η g
 *
 * (Sutskever et al., "On the importance of initialization and momentum in deep learning", ICML 2013, in PyTorch's
 * form: the first buffer is the gradient itself, undampened.) `t` counts the steps on which the parameter had a
 * gradient. The momentum buffer is kept in the parameter's dtype, the arithmetic is float64.
 *
 *     const opt = new SGD([{ params: [W0, b0], lr: 0.1 }, { params: [W1, b1], lr: 0.01 }], { momentum: 0.9 });
 *     loss.backward(); opt.step(); opt.zeroGrad();
 */
export class SGD extends Optimizer<SgdHyper, SgdState> {
  constructor(params: readonly ParamLike[] | readonly ParamGroupSpec<SgdOptions>[], options: SgdOptions = {}) {
    super('SGD', params, options, SGD_KEYS, parseSgd);
  }

  protected override exportState(s: SgdState): ParamStateDict {
    return { buffers: { momentumBuffer: s.momentumBuffer.slice() }, scalars: {} };
  }

  protected override importState(p: ParamStateDict, param: Tensor, _group: SgdHyper, where: string): SgdState {
    onlyKeys(p.buffers, ['momentumBuffer'], `${where}.buffers`);
    return { momentumBuffer: stateBuffer(p, 'momentumBuffer', param, where) };
  }

  protected update(d: FloatArray, off: number, n: number, g: FloatArray, h: SgdHyper, param: Tensor): void {
    const { lr, momentum: mu, dampening, weightDecay: wd, nesterov } = h;
    if (mu === 0) {
      for (let i = 0; i < n; i++) d[off + i] -= lr * (g[i]! + wd * d[off + i]!);
      return;
    }
    let s = this.stateMap.get(param);
    const first = s === undefined;
    if (s === undefined) {
      s = { momentumBuffer: param.dtype === 'float64' ? new Float64Array(n) : new Float32Array(n) };
      this.stateMap.set(param, s);
    }
    const buf = s.momentumBuffer;
    const keep = 1 - dampening;
    for (let i = 0; i < n; i++) {
      const gi = g[i]! + wd * d[off + i]!;
      buf[i] = first ? gi : mu * buf[i]! + keep * gi;
      d[off + i] -= lr * (nesterov ? gi + mu * buf[i]! : buf[i]!);
    }
  }
}
