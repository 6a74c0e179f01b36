/**
 * Registry entries of the Defazio–Bottou scheme (docs/schemes/scaling.md): geometric init (verified rule) and
 * one-shot balancing by the scaling calculus (reconstruction).
 */
import { DomainError, describe } from '../../core/errors.js';
import { checkedOptions, optionsRecord } from '../support/options.js';
import { createStream, deriveSeed, type RandomSource } from '../support/rng.js';
import { allocate, resolveDType, type DType, type FloatArray, type Shape } from '../../core/index.js';
import type { InitContext, InitializerEntry, InitOptions, LayerTensors, TensorInitializerEntry } from '../entry.js';
import { balanceResolved } from './balance.js';
import { parseScalingReportOptions, SCALING_CALCULUS_TITLE, type ResolvedScalingReportOptions } from './calculus.js';
import { GEOMETRIC_KEYS, geometricInit } from './geometric.js';
import { mlpOps, parseScalingOps, type ResolvedScalingOp } from './ops.js';
import { widthsFromShapes } from '../support/mlp.js';

const DEFAZIO = 'Defazio & Bottou, A scaling calculus for the design and initialization of ReLU networks (NCA 2022; arXiv:1906.04267)';

const geometric: TensorInitializerEntry = {
  kind: 'tensor',
  name: 'geometric',
  aliases: ['geometric_mean', 'fan_geo_avg'],
  description:
    'geometric-mean init Var(W) = g/sqrt(fan_in·fan_out), g = 2 (ReLU); the rule is verified, g = 2 is the natural reading (equals He for square layers)',
  source: `${DEFAZIO}; JAX variance_scaling(mode="fan_geo_avg")`,
  provenance: 'verified',
  init: (shape, rng, options) => geometricInit(shape, rng, optionsRecord(options)),
};

/** A per-tensor base initializer as `scaling_balanced` calls it: (shape, rng, options) → array. */
type BaseInit = (shape: Shape, rng: RandomSource, options: InitOptions) => FloatArray;

/** The options of `scaling_balanced`, parsed. */
interface BalancedOptions {
  /** The caller's base initializer, or geometricInit. */
  readonly base: BaseInit;
  readonly dtype: DType;
  /** Every other key, for the base initializer (which validates them). */
  readonly baseOptions: InitOptions;
}

const isBaseInit = (v: unknown): v is BaseInit => typeof v === 'function';

function parseBalancedOptions(options: unknown): BalancedOptions {
  const o = optionsRecord(options);
  const { base, dtype, ...baseOptions } = o;
  if (base !== undefined && !isBaseInit(base)) {
    throw new DomainError(`options.base must be a tensor initializer function (shape, rng, options) => array, got ${describe(base)}`);
  }
  // without a base, the other keys are geometricInit's: reject unknown ones here, naming the entry
  if (base === undefined) checkedOptions('scaling_balanced', o, ['base', ...GEOMETRIC_KEYS]);
  return { base: base ?? geometricInit, dtype: resolveDType(dtype), baseOptions };
}

/**
 * The architecture: `context.extra.ops` + `context.extra.inputShape` (validated as `ScalingOp`s and an input shape), or,
 * by default, an MLP built from the dense shapes `[out, in]` with ReLU between layers.
 */
function parseArchitecture(shapes: readonly Shape[], extra: InitContext['extra']): { ops: ResolvedScalingOp[]; settings: ResolvedScalingReportOptions } {
  if (extra?.['ops'] !== undefined) {
    const ops = parseScalingOps(extra['ops'], 'context.extra.ops', 'scaling_balanced');
    return { ops, settings: parseScalingReportOptions({ inputShape: extra['inputShape'] }, 'context.extra.inputShape') };
  }
  const widths = widthsFromShapes(shapes); // dense chain [out, in] without context.extra.ops
  return { ops: parseScalingOps(mlpOps(widths)), settings: parseScalingReportOptions({ inputShape: [widths[0]] }) };
}

/**
 * Network entry: draw every layer with a per-tensor base scheme (options.base, default geometricInit), then balance
 * all γ_l in one shot by the scaling calculus (reconstruction).
 * Options: `base`, `dtype`, and the options of the base scheme. Without `base` those are geometricInit's and unknown
 * keys are rejected here; a caller-supplied `base` receives every other key and validates them itself.
 */
const scalingBalanced: InitializerEntry = {
  kind: 'network',
  name: 'scaling_balanced',
  description: `base init (options.base: a tensor initializer function, default geometric) followed by one-shot balancing of all γ_l — ${SCALING_CALCULUS_TITLE}`,
  source: DEFAZIO,
  provenance: 'reconstruction',
  init: (shapes, rng, options, context) => {
    const o = parseBalancedOptions(options);
    const { ops, settings } = parseArchitecture(shapes, context?.extra);
    const master = deriveSeed(rng);
    const ws = shapes.map((s, l) => {
      const w = o.base(s, createStream(master, l), { ...o.baseOptions, dtype: 'float64' });
      return w instanceof Float64Array ? w : Float64Array.from(w);
    });
    const { weights } = balanceResolved(ops, ws, settings);
    return weights.map((w, l): LayerTensors => {
      const shape = shapes[l] as readonly number[];
      const W = o.dtype === 'float64' ? w : Float32Array.from(w);
      return { W, b: allocate(shape[0] as number, o.dtype), shape: [...shape] };
    });
  },
};

export const SCALING_ENTRIES: readonly InitializerEntry[] = [geometric, scalingBalanced];
