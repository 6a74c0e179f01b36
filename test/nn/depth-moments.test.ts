// Pre-activation second moments over depth in a deep wide ReLU MLP built by `mlp()` and run on the tensor ops: constant
// under He init, halving per layer under half the He variance.
import { expect } from 'chai';
import { createRng } from '../../src/init/index.js';
import { Linear, mlp } from '../../src/nn/index.js';
import { tensor, type Tensor } from '../../src/tensor/index.js';

// Theory (He et al. 2015), for a bias-free ReLU net of width n, W_l ~ N(0, v/n), one input: let y_l be the
// pre-activations of layer l and q_l = |y_l|²/n. Given y_l, y_{l+1} ~ N(0, s·I) with s = (v/n)·|relu(y_l)|², so
//   log q_{l+1} − log q_l = log(v/2) + log R_l + log X_{l+1},
// R_l = 2|relu(ξ)|²/|ξ|² (ξ = y_l/√s_l: depends only on the direction of a standard Gaussian vector) and
// X_{l+1} = χ²_n/n (the length of the next one). Direction and length of a Gaussian vector are independent, so the
// increments are i.i.d. with E[R] = E[X] = 1, Var R = E[ξ⁴]/(n·E[ξ²]²) = 3/n and Var X = 2/n. To first order in 1/n,
// log q_l is a random walk with step variance σ² = 5/n and mean log(v/2) − σ²/2 (Jensen). He (v = 2): slope −σ²/2 ≈ 0,
// i.e. constant; half He (v = 1): slope log(1/2) − σ²/2.
const n = 256;
const depth = 20;
const nets = 6;
const sigma2 = 5 / n;

/** log q_l for l = 1 … depth (pre-activations of each Linear), for one input, through the model's real forward pass. */
function logMoments(model: ReturnType<typeof mlp>, x: Tensor): number[] {
  const out: number[] = [];
  let h = x;
  for (let i = 0; i < model.length; i++) {
    const m = model.at(i);
    h = m.forward(h);
    if (m instanceof Linear) out.push(Math.log(h.mul(h).mean().item()));
  }
  return out;
}

/** Mean over `nets` independent seeded nets of log(q_l / q_1), l = 1 … depth. */
function meanLogRatios(initOptions: Record<string, unknown>, seed0: number): number[] {
  const acc = new Float64Array(depth);
  for (let k = 0; k < nets; k++) {
    const model = mlp({ widths: new Array<number>(depth + 1).fill(n), activation: 'relu', init: 'kaiming_normal', initOptions, bias: false, seed: seed0 + k, dtype: 'float64' });
    const r = createRng(10_000 + seed0 + k);
    const x = tensor(Float64Array.from({ length: n }, () => r.nextNormal()), [1, n], { dtype: 'float64' });
    const lq = logMoments(model, x);
    lq.forEach((v, l) => (acc[l]! += (v - lq[0]!) / nets));
  }
  return Array.from(acc);
}

/**
 * Least-squares slope of a[l] against l (l = 0 … depth−1) and its standard error when a is the mean of `nets`
 * independent random walks started at 0 with step variance σ²: Var = (σ²/nets)·Σ_{i,j} c_i c_j min(i, j),
 * c_i = (i − ī)/Σ(i − ī)² (Cov(S_i, S_j) = σ²·min(i, j)).
 */
function slopeWithSe(a: readonly number[]): { slope: number; se: number } {
  const L = a.length;
  const ibar = (L - 1) / 2;
  let sii = 0;
  for (let i = 0; i < L; i++) sii += (i - ibar) ** 2;
  const c = a.map((_, i) => (i - ibar) / sii);
  let cov = 0;
  for (let i = 0; i < L; i++) for (let j = 0; j < L; j++) cov += c[i]! * c[j]! * Math.min(i, j);
  return { slope: a.reduce((s, v, i) => s + c[i]! * v, 0), se: Math.sqrt((sigma2 / nets) * cov) };
}

describe('nn: second moments over depth in a deep wide ReLU MLP (mlp(), tensor forward)', () => {
  it(`He init (kaiming_normal): log(q_l/q_1) stays in the band ±4.5·sqrt(σ²(l−1)/${nets}) around its drift, and the slope is ≈ 0`, () => {
    // Band: the mean of `nets` walks after l−1 steps has sd sqrt(σ²(l−1)/nets) (≈ 0.25 at l = 20 for n = 256, 6 nets);
    // 4.5 sd per layer keeps the two-sided tail below 20·7e-6 ≈ 1.4e-4 for all layers together (union bound).
    const a = meanLogRatios({}, 1);
    a.forEach((v, l) => {
      const drift = -l * sigma2 / 2;
      const band = 4.5 * Math.sqrt((sigma2 * l) / nets);
      expect(Math.abs(v - drift), `layer ${l + 1}: log(q/q_1) = ${v}, band ±${band}`).to.be.at.most(band);
    });
    const { slope, se } = slopeWithSe(a);
    expect(4 * se, 'slope tolerance').to.be.below(0.08); // tight enough to tell 0 from log(1/2) = −0.69 per layer
    expect(Math.abs(slope + sigma2 / 2), `slope ${slope} ± ${4 * se}`).to.be.at.most(4 * se);
  });

  it('half the He variance (gain 1: nonlinearity "linear"): log q_l falls by log(1/2) per layer (slope within 4 standard errors)', () => {
    const a = meanLogRatios({ nonlinearity: 'linear' }, 101);
    const { slope, se } = slopeWithSe(a);
    const want = Math.log(0.5) - sigma2 / 2;
    expect(4 * se).to.be.below(0.08);
    expect(Math.abs(slope - want), `slope ${slope} vs ${want} ± ${4 * se}`).to.be.at.most(4 * se);
    // and the moments left the He band: after 19 layers they are about 2^−19 of the first
    expect(a[depth - 1]!).to.be.below((depth - 1) * Math.log(0.5) + 2);
  });
});
