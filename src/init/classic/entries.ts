/**
 * Registry entries of the classic initializers (docs/schemes/classic.md). Options are passed through to each function, which
 * rejects keys it does not read (support/options.ts `checkedOptions`).
 */
import { constant, dirac, eye, normal, ones, sparse, truncatedNormal, uniform, zeros } from './basic.js';
import { orthogonal } from './orthogonal.js';
import { checkedOptions, finiteParam, optionsRecord } from '../support/options.js';
import type { Shape } from '../../core/index.js';
import type { InitializerEntry, InitOptions, TensorInitializer } from '../entry.js';
import {
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  kaimingNormal,
  kaimingUniform,
  lecunNormal,
  lecunUniform,
  torchDefaultLinear,
  varianceScaling,
  xavierNormal,
  xavierUniform,
} from './variance.js';

const TORCH = 'PyTorch torch.nn.init';
const KERAS = 'Keras / TF.js / JAX initializers';

function tensor(
  name: string,
  description: string,
  source: string,
  init: TensorInitializer,
  aliases?: readonly string[],
): InitializerEntry {
  return { kind: 'tensor', name, description, source, provenance: 'verified', init, ...(aliases ? { aliases } : {}) };
}

const opts = (o: InitOptions | undefined): InitOptions => optionsRecord(o);

export const CLASSIC_ENTRIES: readonly InitializerEntry[] = [
  tensor('zeros', 'all zeros', `${TORCH} zeros_; ${KERAS} Zeros`, (s: Shape, _r, o) => zeros(s, opts(o))),
  tensor('ones', 'all ones', `${TORCH} ones_; ${KERAS} Ones`, (s, _r, o) => ones(s, opts(o))),
  tensor('constant', 'every entry equals options.value', `${TORCH} constant_; ${KERAS} Constant`, (s, _r, o) => {
    // `value` is the entry's own option; the rest goes to constant(), which checks its keys
    const { value, ...rest } = checkedOptions('constant', o, ['value', 'dtype']);
    return constant(s, finiteParam('value', value), rest);
  }),
  tensor('uniform', 'U[a, b), default [0, 1)', `${TORCH} uniform_; ${KERAS} RandomUniform`, (s, r, o) => uniform(s, r, opts(o)), [
    'random_uniform',
  ]),
  tensor('normal', 'N(mean, std²), default N(0, 1)', `${TORCH} normal_; ${KERAS} RandomNormal`, (s, r, o) => normal(s, r, opts(o)), [
    'random_normal',
  ]),
  tensor(
    'truncated_normal',
    'N(mean, std²) truncated by rejection to [a, b] (default mean ± 2·std, Keras convention; PyTorch uses absolute a, b)',
    `${TORCH} trunc_normal_; ${KERAS} TruncatedNormal`,
    (s, r, o) => truncatedNormal(s, r, opts(o)),
  ),
  tensor(
    'variance_scaling',
    'zero-mean, variance scale/n with n = fan_in | fan_out | fan_avg | fan_geo_avg; truncated_normal (0.8796-corrected), normal or uniform',
    'Keras VarianceScaling; JAX jax.nn.initializers.variance_scaling',
    (s, r, o) => varianceScaling(s, r, opts(o)),
  ),
  tensor('lecun_normal', 'truncated normal with std 1/sqrt(fan_in)', 'LeCun et al. 1998 (Efficient BackProp); Keras LecunNormal', (s, r, o) =>
    lecunNormal(s, r, opts(o)),
  ),
  tensor('lecun_uniform', 'U(±sqrt(3/fan_in))', 'LeCun et al. 1998; Keras LecunUniform', (s, r, o) => lecunUniform(s, r, opts(o))),
  tensor(
    'glorot_normal',
    'truncated normal with std sqrt(2/(fan_in+fan_out)) (0.8796-corrected)',
    'Glorot & Bengio 2010; Keras GlorotNormal',
    (s, r, o) => glorotNormal(s, r, opts(o)),
  ),
  tensor(
    'glorot_uniform',
    'U(±sqrt(6/(fan_in+fan_out))); Keras / TF.js default kernel init',
    'Glorot & Bengio 2010; Keras GlorotUniform',
    (s, r, o) => glorotUniform(s, r, opts(o)),
    ['keras_default'],
  ),
  tensor(
    'xavier_normal',
    'untruncated N(0, gain²·2/(fan_in+fan_out))',
    `Glorot & Bengio 2010; ${TORCH} xavier_normal_`,
    (s, r, o) => xavierNormal(s, r, opts(o)),
  ),
  tensor('xavier_uniform', 'U(±gain·sqrt(6/(fan_in+fan_out)))', `Glorot & Bengio 2010; ${TORCH} xavier_uniform_`, (s, r, o) =>
    xavierUniform(s, r, opts(o)),
  ),
  tensor('he_normal', 'truncated normal with std sqrt(2/fan_in) (0.8796-corrected)', 'He et al. 2015; Keras HeNormal', (s, r, o) =>
    heNormal(s, r, opts(o)),
  ),
  tensor('he_uniform', 'U(±sqrt(6/fan_in))', 'He et al. 2015; Keras HeUniform', (s, r, o) => heUniform(s, r, opts(o))),
  tensor(
    'kaiming_normal',
    'untruncated N(0, gain²/fan), gain = calculateGain(nonlinearity = leaky_relu, a = 0) = sqrt(2) by default',
    `He et al. 2015; ${TORCH} kaiming_normal_`,
    (s, r, o) => kaimingNormal(s, r, opts(o)),
  ),
  tensor('kaiming_uniform', 'U(±gain·sqrt(3/fan)), gain sqrt(2) by default', `He et al. 2015; ${TORCH} kaiming_uniform_`, (s, r, o) =>
    kaimingUniform(s, r, opts(o)),
  ),
  tensor(
    'torch_default_linear',
    'PyTorch nn.Linear / nn.ConvNd default weight init: kaiming_uniform_(a = sqrt(5)) = U(±1/sqrt(fan_in))',
    `${TORCH} (nn.Linear.reset_parameters)`,
    (s, r, o) => torchDefaultLinear(s, r, opts(o)),
  ),
  tensor(
    'orthogonal',
    'gain · Q of a Householder QR of a Gaussian matrix, sign-corrected (Haar); W Wᵀ = gain²I or Wᵀ W = gain²I',
    `Saxe et al. 2013; Mezzadri 2007; ${TORCH} orthogonal_`,
    (s, r, o) => orthogonal(s, r, opts(o)),
  ),
  tensor('eye', 'identity matrix times gain (rank 2, rectangular allowed)', `${TORCH} eye_; Keras Identity`, (s, _r, o) => eye(s, opts(o)), [
    'identity',
  ]),
  tensor('dirac', 'Dirac delta conv kernel preserving channels (rank 3–5, groups)', `${TORCH} dirac_`, (s, _r, o) => dirac(s, opts(o))),
  tensor(
    'sparse',
    'N(0, std²) with ceil(sparsity·rows) zeros per column (PyTorch variant of Martens 2010)',
    `Martens 2010; ${TORCH} sparse_`,
    (s, r, o) => sparse(s, r, opts(o)),
  ),
];
