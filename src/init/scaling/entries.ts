/**
 * Registry entries of the Defazio–Bottou scheme: geometric init (verified rule) and one-shot balancing by the
 * scaling calculus (reconstruction).
 */
import { DomainError, describe } from '../../core/errors.js';
import { balanceWeights, GEOMETRIC_KEYS, geometricInit, mlpOps, SCALING_CALCULUS_TITLE, type ScalingOp } from './calculus.js';
import { checkedOptions, optionsRecord } from '../support/options.js';
import { createStream, deriveSeed } from '../support/rng.js';
import type { FloatArray } from '../../core/index.js';
import type { InitializerEntry, LayerTensors, TensorInitializerEntry } from '../entry.js';
import { allocate, resolveDType } from '../../core/index.js';

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

/**
 * Network entry: draw every layer with a per-tensor base scheme (options.base, default 'he_normal' via the
 * registry-free path below), then balance all γ_l in one shot by the scaling calculus (reconstruction).
 * Architecture: `context.extra.ops` + `context.extra.inputShape` (see defazio.ts `ScalingOp`), or, by default, an MLP
 * built from dense shapes `[out, in]` with ReLU between layers.
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
    const o = optionsRecord(options);
    const base = o['base'];
    if (base !== undefined && typeof base !== 'function') {
      throw new DomainError(`options.base must be a tensor initializer function (shape, rng, options) => array, got ${describe(base)}`);
    }
    if (base === undefined) checkedOptions('scaling_balanced', o, ['base', ...GEOMETRIC_KEYS]);
    const dtype = resolveDType(o['dtype']);
    const baseInit = (base ?? ((s: readonly number[], r: typeof rng, bo: typeof o) => geometricInit(s, r, bo))) as (
      s: readonly number[],
      r: typeof rng,
      bo: typeof o,
    ) => FloatArray;
    const extra = context?.extra ?? {};
    let ops: ScalingOp[];
    let inputShape: number[];
    if (extra['ops'] !== undefined) {
      ops = extra['ops'] as ScalingOp[];
      inputShape = extra['inputShape'] as number[];
    } else {
      const widths: number[] = [];
      shapes.forEach((s, l) => {
        if (s.length !== 2) throw new DomainError(`scaling_balanced without context.extra.ops needs dense shapes [out, in]; shapes[${l}] = ${describe(s)}`);
        if (l === 0) widths.push(s[1] as number);
        else if (widths[l] !== s[1]) throw new DomainError(`shapes[${l}] input ${s[1]} does not match the previous output ${widths[l]}`);
        widths.push(s[0] as number);
      });
      ops = mlpOps(widths);
      inputShape = [widths[0] as number];
    }
    const master = deriveSeed(rng);
    const { dtype: _d, base: _b, ...baseOpts } = o;
    const ws = shapes.map((s, l) => {
      const w = baseInit(s, createStream(master, l), { ...baseOpts, dtype: 'float64' });
      return w instanceof Float64Array ? w : Float64Array.from(w);
    });
    const { weights } = balanceWeights(ops, ws, { inputShape });
    return weights.map((w, l): LayerTensors => {
      const shape = shapes[l] as readonly number[];
      const W = dtype === 'float64' ? w : Float32Array.from(w);
      return { W, b: allocate(shape[0] as number, dtype), shape: [...shape] };
    });
  },
};

export const SCALING_ENTRIES: readonly InitializerEntry[] = [geometric, scalingBalanced];
