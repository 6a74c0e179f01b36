/**
 * Fan computation (docs/schemes/support.md), after PyTorch `_calculate_fan_in_and_fan_out` and Keras / TF.js
 * `computeFans`.
 *
 * | layout, rank | fan_in | fan_out |
 * |---|---|---|
 * | torch, 2 (`[out, in]`) | `in` | `out` |
 * | torch, ≥ 3 (`[out, in/groups, k…]`) | `shape[1]·Πk` | `shape[0]·Πk` |
 * | keras, 2 (`[in, out]`) | `shape[0]` | `shape[1]` |
 * | keras, ≥ 3 (`[k…, in, out]`) | `shape[r−2]·Πk` | `shape[r−1]·Πk` |
 *
 * Rank < 2 raises a ShapeError (PyTorch raises too; Keras silently uses n, n or 1, 1).
 * Grouped convolutions: fan_in uses the stored `in/groups`, fan_out is not divided by groups (PyTorch).
 * Transposed convolutions: PyTorch stores `[in, out/groups, k…]`; with `transposed: true` the roles are swapped back
 * (fan_in = shape[0]·Πk), unless `compat: 'torch'` asks for PyTorch's behaviour (which ignores the transposition).
 */
import { DomainError, describe } from '../../core/errors.js';
import { checkShape, type Shape } from '../../core/index.js';
import { checkedOptions, enumParam, optionKeys } from './options.js';

/** Weight layout: PyTorch (`[out, in, k…]`, default) or Keras / TF.js / JAX (`[in, out]`, `[k…, in, out]`). */
export type Layout = 'torch' | 'keras';

/** Mode selecting the fan a variance-scaling initializer divides by. */
export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg' | 'fan_geo_avg';

export const FAN_MODES: readonly FanMode[] = ['fan_in', 'fan_out', 'fan_avg', 'fan_geo_avg'];
export const LAYOUTS: readonly Layout[] = ['torch', 'keras'];

export interface FanOptions {
  /** Default `'torch'`. */
  readonly layout?: Layout;
  /** PyTorch transposed-conv weight `[in, out/groups, k…]` (torch layout, rank ≥ 3 only). */
  readonly transposed?: boolean;
  /** `'torch'`: reproduce PyTorch's fan computation for transposed convs (roles swapped). */
  readonly compat?: 'torch' | 'none';
}

/**
 * `[fanIn, fanOut]` of a weight shape (docs/schemes/support.md).
 * @param layoutOrOptions `'torch'` (default) or `'keras'`, or a FanOptions object.
 */
export function computeFans(shape: Shape, layoutOrOptions: Layout | FanOptions = 'torch'): [number, number] {
  const opts: FanOptions =
    typeof layoutOrOptions === 'string'
      ? { layout: layoutOrOptions }
      : checkedOptions('computeFans', layoutOrOptions, optionKeys<FanOptions>({ layout: true, transposed: true, compat: true }), 'layoutOrOptions');
  const layout = enumParam<Layout>('layout', opts.layout, LAYOUTS, 'torch');
  checkShape(shape, 'shape', 2);
  const r = shape.length;
  if (layout === 'torch') {
    let rf = 1;
    for (let i = 2; i < r; i++) rf *= shape[i] as number;
    const a = (shape[1] as number) * rf;
    const b = (shape[0] as number) * rf;
    if (opts.transposed) {
      if (r < 3) throw new DomainError(`transposed fans need a conv weight of rank >= 3, got shape ${describe(shape)}`);
      return opts.compat === 'torch' ? [a, b] : [b, a];
    }
    return [a, b];
  }
  if (opts.transposed) throw new DomainError(`transposed is only supported with layout "torch"`);
  let rf = 1;
  for (let i = 0; i < r - 2; i++) rf *= shape[i] as number;
  return [(shape[r - 2] as number) * rf, (shape[r - 1] as number) * rf];
}

/** The denominator n of variance scaling for a mode: fan_in, fan_out, (fan_in+fan_out)/2 or sqrt(fan_in·fan_out). */
export function fanForMode(fanIn: number, fanOut: number, mode: FanMode): number {
  switch (mode) {
    case 'fan_in':
      return fanIn;
    case 'fan_out':
      return fanOut;
    case 'fan_avg':
      return (fanIn + fanOut) / 2;
    case 'fan_geo_avg':
      return Math.sqrt(fanIn * fanOut);
  }
}
