/**
 * Gradient-norm clipping with the semantics of PyTorch's `torch.nn.utils.clip_grad_norm_`
 * (https://pytorch.org/docs/stable/generated/torch.nn.utils.clip_grad_norm_.html).
 */
import { DomainError, NonFiniteError, describe } from '../../core/errors.js';
import { booleanParam, checkedOptions, optionKeys, positiveParam } from '../../init/index.js';
import { noGrad, Tensor } from '../../tensor/index.js';
import type { ParamLike } from './params.js';

/** Options of `clipGradNorm`. */
export interface ClipGradNormOptions {
  /** p of the p-norm: a finite number > 0 or Infinity (max |g|); default 2. */
  readonly normType?: number;
  /**
   * Throw a NonFiniteError when the total norm is NaN or ±Infinity (gradients untouched); default true. PyTorch's
   * default is false (it then scales every gradient by NaN); initlab does not fail silently.
   */
  readonly errorIfNonfinite?: boolean;
}

const CLIP_KEYS = optionKeys<ClipGradNormOptions>({ normType: true, errorIfNonfinite: true });

/**
 * Rescale the gradients of `params` in place so that their joint norm is at most `maxNorm`, and return the joint norm
 * before clipping:
 *
 *     N = ‖(g_1, …, g_k)‖_p = (Σ_i Σ_j |g_ij|^p)^(1/p)      (p = Infinity: max |g_ij|)
 *     c = maxNorm / (N + 1e-6);   if c < 1, every g ← c·g
 *
 * as PyTorch (which adds the same 1e-6). Parameters whose `.grad` is null are skipped; with none, N = 0.
 * Sums are accumulated in float64.
 */
export function clipGradNorm(params: readonly ParamLike[], maxNorm: number, options: ClipGradNormOptions = {}): number {
  if (!Array.isArray(params)) throw new DomainError(`clipGradNorm: params must be an array of tensors or { name, tensor }, got ${describe(params)}`);
  const max = positiveParam('maxNorm', maxNorm);
  const o = checkedOptions('clipGradNorm', options, CLIP_KEYS);
  const p = o['normType'] === Infinity ? Infinity : positiveParam('options.normType', o['normType'], 2);
  const strict = booleanParam('options.errorIfNonfinite', o['errorIfNonfinite'], true);
  const grads: Tensor[] = [];
  params.forEach((x, i) => {
    const t: unknown = x instanceof Tensor ? x : (x as { tensor?: unknown } | null)?.tensor;
    if (!(t instanceof Tensor)) throw new DomainError(`clipGradNorm: params[${i}] must be a Tensor or { name, tensor }, got ${describe(t)}`);
    if (t.grad === null) return;
    // Scaling happens in place, so make sure the gradient owns a dense buffer (backward always gives one).
    if (!t.grad.isContiguous()) t.grad = noGrad(() => (t.grad as Tensor).clone());
    grads.push(t.grad);
  });
  let acc = 0;
  for (const g of grads) {
    const d = g.dense();
    if (p === Infinity) for (let i = 0; i < d.length; i++) acc = Math.max(acc, Math.abs(d[i]!));
    else if (p === 2) for (let i = 0; i < d.length; i++) acc += d[i]! * d[i]!;
    else if (p === 1) for (let i = 0; i < d.length; i++) acc += Math.abs(d[i]!);
    else for (let i = 0; i < d.length; i++) acc += Math.pow(Math.abs(d[i]!), p);
  }
  const total = p === Infinity ? acc : p === 2 ? Math.sqrt(acc) : p === 1 ? acc : Math.pow(acc, 1 / p);
  if (!Number.isFinite(total) && strict) {
    throw new NonFiniteError(`clipGradNorm: the total ${p}-norm of the gradients is ${describe(total)}; set options.errorIfNonfinite = false to scale anyway`);
  }
  const c = max / (total + 1e-6);
  // c < 1 is false for NaN: with errorIfNonfinite = false a NaN norm multiplies by NaN, as PyTorch does.
  if (c < 1 || Number.isNaN(c)) {
    for (const g of grads) {
      const d = g.dense();
      for (let i = 0; i < d.length; i++) d[i] *= c;
    }
  }
  return total;
}
