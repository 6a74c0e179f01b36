/**
 * `mlp(...)`: a `Sequential` of Linear layers and activations drawn by any registry scheme, per-tensor or
 * whole-network, so a training run can start from every initializer of src/init.
 */
import { DomainError, describe } from '../core/errors.js';
import { resolveDType } from '../core/index.js';
import { booleanParam, checkedOptions, optionKeys } from '../core/options.js';
import {
  createRng, enumParam, getInitializer, initializeNetwork, optionsRecord, positiveIntParam, seedToUint64, streamSeed, validateMlp,
  type DataBatch, type InitOptions, type Seed,
} from '../init/index.js';
import { type DType, Tensor } from '../tensor/index.js';
import { LeakyReLU, ReLU, Sigmoid, Tanh } from './layers/activations.js';
import { Sequential } from './layers/container.js';
import { linearFromValues } from './layers/linear.js';
import { RReLU } from './layers/rrelu.js';
import type { Module } from './module.js';

/** Hidden-layer activations of `mlp`. */
export type MlpActivation = 'relu' | 'leaky_relu' | 'rrelu' | 'sigmoid' | 'tanh';
const ACTIVATIONS: readonly MlpActivation[] = ['relu', 'leaky_relu', 'rrelu', 'sigmoid', 'tanh'];

/** Options of `mlp`. */
export interface MlpOptions {
  /** Layer widths [d_in, N_1, …, d_out], at least two positive integers. */
  readonly widths: readonly number[];
  /** Activation after every hidden layer (none after the last); default 'relu' (leaky_relu: slope 0.01). */
  readonly activation?: MlpActivation;
  /** Any registered initializer name, per-tensor or whole-network; default 'kaiming_uniform'. */
  readonly init?: string;
  /** Options of that initializer, checked by it (e.g. `{ gammas: 1 }` for meanfield). */
  readonly initOptions?: InitOptions;
  /** Whether the Linear layers have biases; default true. */
  readonly bias?: boolean;
  /** Seed of every draw (weights, torch_default_linear biases, rrelu slopes); required. */
  readonly seed?: Seed;
  /** An input batch for data-anchored schemes (lps_r, lps_r_plus): `{ x, shape: [B, d_in] }` or a Tensor [B, d_in]. */
  readonly data?: DataBatch | Tensor;
  /** Element type of the parameters; default 'float32'. */
  readonly dtype?: DType;
}

const MLP_KEYS = optionKeys<MlpOptions>({ widths: true, activation: true, init: true, initOptions: true, bias: true, seed: true, data: true, dtype: true });

/** `widths`: an array of at least two positive integers. */
function parseWidths(w: unknown): number[] {
  if (!Array.isArray(w) || w.length < 2) throw new DomainError(`options.widths must be an array of at least two positive integers [d_in, …, d_out], got ${describe(w)}`);
  return w.map((x: unknown, i) => positiveIntParam(`options.widths[${i}]`, x));
}

function activationModule(kind: MlpActivation, seed: bigint, l: number): Module {
  switch (kind) {
    case 'relu': return new ReLU();
    case 'leaky_relu': return new LeakyReLU(0.01);
    // Stream l of the raw seed: independent of the weight streams, which come from deriveSeed(createRng(seed)).
    case 'rrelu': return new RReLU(1 / 8, 1 / 3, { seed: streamSeed(seed, l) });
    case 'sigmoid': return new Sigmoid();
    case 'tanh': return new Tanh();
  }
}

/**
 * A Sequential [Linear, act, Linear, act, …, Linear] (children '0', '1', …) for `widths`, initialized by
 * `initializeNetwork(init, shapes, createRng(seed), initOptions, { data })` with shapes [[N_{l+1}, N_l]]: a
 * per-tensor scheme draws layer l from stream l (as initializeNetwork does), a whole-network scheme (pathcond_after_he,
 * enorm_after_he, lps_r / lps_r_plus with `data`, meanfield, scaling_balanced) returns all layers; each layer's W, b
 * and forward `scale` (the mean-field N^−γ) are loaded into its Linear. Layers without a bias from the scheme get zeros;
 * under 'torch_default_linear' the biases are PyTorch's U(±1/√in), drawn from the same generator after the weights.
 * `bias: false` is refused (DomainError) when the scheme set a non-zero bias, which would otherwise be dropped.
 * Conv-only schemes (dirac) give the scheme's ShapeError.
 */
export function mlp(options: MlpOptions): Sequential {
  const o = checkedOptions('mlp', options, MLP_KEYS);
  const widths = parseWidths(o.widths);
  const activation = enumParam('options.activation', o.activation, ACTIVATIONS, 'relu');
  const init = o.init ?? 'kaiming_uniform';
  if (typeof init !== 'string') throw new DomainError(`options.init must be an initializer name, got ${describe(init)}`);
  const initOptions = optionsRecord(o.initOptions, 'options.initOptions');
  const bias = booleanParam('options.bias', o.bias, true);
  if (o.seed === undefined) throw new DomainError('options.seed is required (every random draw in initlab takes an explicit seed), got undefined');
  const seed = seedToUint64(o.seed as Seed, 'options.seed');
  const dtype = resolveDType(o.dtype, 'options.dtype');
  const data = o.data instanceof Tensor ? { x: o.data.dense(), shape: [...o.data.shape] } : (o.data as DataBatch | undefined);
  const shapes = widths.slice(1).map((n, l) => [n, widths[l] as number]);
  const rng = createRng(seed);
  const torchBias = getInitializer(init).name === 'torch_default_linear';
  const layers = initializeNetwork(init, shapes, rng, initOptions, data === undefined ? {} : { data });
  validateMlp(layers, `the layers drawn by ${init}`);
  const modules: Module[] = [];
  layers.forEach((layer, l) => {
    const [out, inp] = layer.shape as [number, number];
    let b = layer.b;
    if (!bias && b !== undefined && b.some((v) => v !== 0)) {
      throw new DomainError(`options.bias is false, but ${init} sets a non-zero bias on layer ${l}; use bias: true (dropping it would change the network)`);
    }
    if (bias && torchBias) {
      const bound = 1 / Math.sqrt(inp);
      b = Float64Array.from({ length: out }, () => (2 * rng.nextFloat64() - 1) * bound);
    }
    modules.push(linearFromValues(layer.W, b, [out, inp], { bias, dtype, scale: layer.scale ?? 1 }));
    if (l + 1 < layers.length) modules.push(activationModule(activation, seed, l));
  });
  return new Sequential(...modules);
}
