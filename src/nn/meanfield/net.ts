/**
 * `meanFieldNet(...)`: a 1/N^γ-normalized network of Yu & Spiliopoulos as a trainable `Sequential`, with the per-layer
 * SGD learning rates of the mean-field rules as optimizer parameter groups (docs/schemes/meanfield.md).
 */
import { DomainError } from '../../core/errors.js';
import { resolveDType, type DType } from '../../core/index.js';
import { checkedOptions, optionKeys } from '../../core/options.js';
import {
  checkGammas, checkMeanFieldWidths, enumParam, inferredGeneralDepthLearningRates, meanFieldLearningRates, positiveParam, seedToUint64,
  type Gammas, type MeanFieldBias, type MeanFieldOutputInit, type Seed,
} from '../../init/index.js';
import type { Sequential } from '../layers/container.js';
import { Linear } from '../layers/linear.js';
import { mlp } from '../mlp-builder.js';
import { meanFieldLrGroups, type LayerGroup } from '../optim/groups.js';
import type { NamedParam } from '../optim/params.js';

/** Hidden activation of `meanFieldNet`: sigmoid as in the authors' code [V-code], ReLU and tanh as alternatives. */
export type MeanFieldNetActivation = 'sigmoid' | 'relu' | 'tanh';
const ACTIVATIONS: readonly MeanFieldNetActivation[] = ['sigmoid', 'relu', 'tanh'];

/** Options of `meanFieldNet`. */
export interface MeanFieldNetOptions {
  /** Widths `[d, N_1, …, N_L, K]`: input, L ≥ 1 hidden layers, output. */
  readonly widths: readonly number[];
  /** γ_1 … γ_L, each in [1/2, 1], or one number for all; default 1 (mean-field scaling). */
  readonly gammas?: Gammas;
  /** Hidden activation; default `'sigmoid'` (the authors' code). */
  readonly activation?: MeanFieldNetActivation;
  /** Seed of every draw; required. */
  readonly seed?: Seed;
  /** Output weights C: `'authors-code'` U(0, 1) (default) or `'centered'` U(−1, 1) (mean zero, as the theory needs for γ < 1). */
  readonly outputInit?: MeanFieldOutputInit;
  /** Biases: `'none'` (default, the theory's form), `'torch-default'` (what the authors' code keeps), `'zeros'`. */
  readonly bias?: MeanFieldBias;
  /** Element type of the parameters; default 'float32'. */
  readonly dtype?: DType;
  /** α0, the O(1) constant multiplying every rate; default 1 (the authors' code). */
  readonly baseLr?: number;
  /**
   * `'verified'` (default): the authors' rates, 1–3 hidden layers; `'inferred'`: the general-depth mean-field learning
   * rates (inferred; verified formulas exist only for 1–3 hidden layers), any depth.
   */
  readonly rule?: 'verified' | 'inferred';
}

const NET_KEYS = optionKeys<MeanFieldNetOptions>({
  widths: true, gammas: true, activation: true, seed: true, outputInit: true, bias: true, dtype: true, baseLr: true, rule: true,
});

/** What `meanFieldNet` returns. */
export interface MeanFieldNet {
  /** [Linear, σ, Linear, σ, …, Linear]; Linear l ≥ 1 carries the forward scale N_l^{−γ_l} (none on the input layer). */
  readonly model: Sequential;
  readonly widths: readonly number[];
  /** γ_1 … γ_L as resolved (one per hidden layer). */
  readonly gammas: readonly number[];
  /** Per-layer SGD rates, forward order [α_{W^1}, …, α_{W^L}, α_C] (times baseLr). */
  readonly rates: readonly number[];
  /** One parameter group per Linear (weight and bias share the layer's rate), for `new SGD(groups)`. */
  readonly groups: LayerGroup[];
}

/**
 * The mean-field network of Yu & Spiliopoulos ("Normalization effects on deep neural networks", arXiv:2209.01018;
 * Foundations of Data Science 2023; code kspiliopoulos/NENN_Deep), on autograd tensors:
 *
 *     H^1 = σ(W^1 x + b^1),   H^{ℓ+1} = σ(N_ℓ^{−γ_ℓ}·W^{ℓ+1} H^ℓ + b^{ℓ+1}),   g(x) = N_L^{−γ_L}·C H^L + b^C
 *
 * drawn by the `meanfield` registry entry (hidden weights N(0, 1), C per `outputInit`) through `mlp`, each factor the
 * forward `scale` of its Linear (biases unscaled, as in the authors' code). `groups` hold the per-layer SGD rates of
 * `meanFieldLearningRates` (e.g. two hidden layers: α_1 = N1^{2γ1−1} N2^{2γ2−3}, α_2 = N1^{2γ1−1} N2^{2γ2−2},
 * α_C = N2^{2γ2−2}) through `meanFieldLrGroups`, so `new SGD(net.groups)` steps θ ← θ − α_group·∇θ loss, which for
 * the loss ½(y − g)² (`halfSquaredError`) is the README's update [V-readme]; the authors train with cross-entropy on
 * log-softmax outputs, batch 20, no momentum [V-code]. Same seed ⇒ the weights of `meanFieldInit(widths,
 * createRng(seed), …)`. More than 3 hidden layers need `rule: 'inferred'` (DomainError otherwise, before any draw).
 */
export function meanFieldNet(options: MeanFieldNetOptions): MeanFieldNet {
  const o = checkedOptions('meanFieldNet', options, NET_KEYS);
  const widths = checkMeanFieldWidths(o.widths, 'options.widths');
  const L = widths.length - 2;
  const gammas = checkGammas(o.gammas ?? 1, L, 'options.gammas');
  const activation = enumParam('options.activation', o.activation, ACTIVATIONS, 'sigmoid');
  if (o.seed === undefined) throw new DomainError('options.seed is required (every random draw in initlab takes an explicit seed), got undefined');
  const seed = seedToUint64(o.seed as Seed, 'options.seed');
  const outputInit = enumParam<MeanFieldOutputInit>('options.outputInit', o.outputInit, ['authors-code', 'centered'], 'authors-code');
  const bias = enumParam<MeanFieldBias>('options.bias', o.bias, ['none', 'torch-default', 'zeros'], 'none');
  const dtype = resolveDType(o.dtype, 'options.dtype');
  const baseLr = positiveParam('options.baseLr', o.baseLr, 1);
  const rule = enumParam('options.rule', o.rule, ['verified', 'inferred'] as const, 'verified');
  // The rates first: deeper than 3 hidden layers under 'verified' is refused here, before any draw.
  const rates = (rule === 'verified' ? meanFieldLearningRates : inferredGeneralDepthLearningRates)(widths, gammas, { alpha0: baseLr });
  const model = mlp({
    widths, activation, seed, dtype, bias: bias !== 'none', init: 'meanfield',
    // Drawn in float64 and stored in `dtype` by the Linear layers: the same values as a draw in `dtype`.
    initOptions: { gammas, outputInit, bias, dtype: 'float64' },
  });
  const layers: NamedParam[][] = [];
  for (let i = 0; i < model.length; i += 2) {
    const lin = model.at(i) as Linear;
    layers.push([{ name: `${i}.weight`, tensor: lin.weight }, ...(lin.bias === null ? [] : [{ name: `${i}.bias`, tensor: lin.bias }])]);
  }
  const groups = meanFieldLrGroups(layers, widths, gammas, { baseLr, rule });
  return { model, widths, gammas, rates, groups };
}
