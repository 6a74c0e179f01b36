/**
 * The parameters of the weighted layers (`Linear`, `Conv2d`): the options they share (bias, initializer by registry
 * name with its options, seed, dtype), parsed once, and the draw of the weight and bias.
 */
import { DomainError, describe } from '../../core/errors.js';
import { resolveDType, type DType } from '../../core/index.js';
import { booleanParam, type OptionsRecord } from '../../core/options.js';
import {
  createRng, getTensorInitializer, optionsRecord, type InitOptions, type RandomSource, type Seed, type TensorInitializerEntry,
} from '../../init/index.js';
import { type Tensor, tensor, zeros } from '../../tensor/index.js';

/** Options shared by the weighted layers. */
export interface WeightedLayerOptions {
  /** Whether the layer has a bias (zeros, or U(±1/√fan_in) under `init: 'torch_default_linear'`); default true. */
  readonly bias?: boolean;
  /** A per-tensor registry initializer for the weight; default `'kaiming_uniform'` (U(±√(6/fan_in))). */
  readonly init?: string;
  /** Options of that initializer (e.g. `{ mode: 'fan_out' }`), checked by it. */
  readonly initOptions?: InitOptions;
  /** Seed of the weight's (and bias's) draw; required, as for every random draw in initlab. */
  readonly seed?: Seed;
  /** Element type of the parameters; default 'float32'. */
  readonly dtype?: DType;
}

/** `WeightedLayerOptions` resolved. */
export interface WeightSpec {
  readonly bias: boolean;
  readonly entry: TensorInitializerEntry;
  readonly initOptions: InitOptions;
  readonly rng: RandomSource;
  readonly dtype: DType;
}

/** Parse the shared options of a layer's options record `o` (unknown keys already rejected). */
export function parseWeightOptions(o: OptionsRecord): WeightSpec {
  const bias = booleanParam('options.bias', o['bias'], true);
  const initName = o['init'] ?? 'kaiming_uniform';
  if (typeof initName !== 'string') throw new DomainError(`options.init must be an initializer name, got ${describe(initName)}`);
  const entry = getTensorInitializer(initName);
  const initOptions = optionsRecord(o['initOptions'], 'options.initOptions');
  if (o['seed'] === undefined) throw new DomainError('options.seed is required (every random draw in initlab takes an explicit seed), got undefined');
  const rng = createRng(o['seed'] as Seed);
  return { bias, entry, initOptions, rng, dtype: resolveDType(o['dtype'], 'options.dtype') };
}

/**
 * The weight `entry.init(shape, rng, initOptions)` (fans read off `shape` by src/init: [out, in] or [out, in, k…])
 * and the bias [shape[0]] or null: zeros, except under `'torch_default_linear'`, where it is PyTorch's default for
 * nn.Linear and nn.ConvNd, U(±1/√fanIn) (reset_parameters), drawn from the same stream after the weight.
 */
export function drawParameters(spec: WeightSpec, shape: readonly number[], fanIn: number): { weight: Tensor; bias: Tensor | null } {
  const { dtype, rng } = spec;
  const out = shape[0] as number;
  const weight = tensor(spec.entry.init(shape, rng, spec.initOptions), shape, { dtype, requiresGrad: true });
  if (!spec.bias) return { weight, bias: null };
  const bound = 1 / Math.sqrt(fanIn);
  const bias = spec.entry.name === 'torch_default_linear'
    ? tensor(Float64Array.from({ length: out }, () => (2 * rng.nextFloat64() - 1) * bound), [out], { dtype, requiresGrad: true })
    : zeros([out], { dtype, requiresGrad: true });
  return { weight, bias };
}
