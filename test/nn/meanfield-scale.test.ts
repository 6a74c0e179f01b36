import { expect } from 'chai';
import {
  createRng,
  initializeNetwork,
  initOutputVariance,
  meanFieldInit,
  meanFieldLayers,
  CENTERED_OUTPUT_SECOND_MOMENT,
} from '../../src/init/index.js';
import { meanFieldForward } from '../support/meanfield-oracle.js';
import { denseFromInit, mlpForward } from '../../src/nn/index.js';
import { tensor } from '../../src/tensor/index.js';

describe('nn: layers carry their forward scale (mean-field N^−γ)', () => {
  it('the tensor MLP built from the meanfield entry applies scale·(W h) + b on every layer (ReLU, float64, 1e-12)', () => {
    const widths = [5, 7, 6, 3];
    const gammas = [0.7, 0.9];
    const shapes = [[7, 5], [6, 7], [3, 6]];
    const layers = initializeNetwork('meanfield', shapes, createRng(3), { gammas, outputInit: 'centered', bias: 'torch-default', dtype: 'float64' });
    expect(layers.map((l) => l.scale)).to.deep.equal([undefined, Math.pow(7, -0.7), Math.pow(6, -0.9)]);
    const B = 4;
    const xr = createRng(4);
    const x = Float64Array.from({ length: B * widths[0]! }, () => xr.nextNormal());
    const got = mlpForward(denseFromInit(layers, { dtype: 'float64', requiresGrad: false }), tensor(x, [B, widths[0]!])).dense();
    // direct loop: z = scale·(W h) + b, ReLU on hidden layers
    let h: number[][] = Array.from({ length: B }, (_, r) => Array.from(x.subarray(r * 5, r * 5 + 5)));
    layers.forEach((layer, l) => {
      const [out, nin] = layer.shape as [number, number];
      const c = layer.scale ?? 1;
      h = h.map((row) =>
        Array.from({ length: out }, (_, j) => {
          let s = 0;
          for (let i = 0; i < nin; i++) s += layer.W[j * nin + i]! * row[i]!;
          const z = c * s + layer.b![j]!;
          return l < layers.length - 1 ? Math.max(z, 0) : z;
        }),
      );
    });
    h.flat().forEach((v, k) => expect(Math.abs(got[k]! - v)).to.be.at.most(1e-12 * (1 + Math.abs(v))));
  });

  it('meanFieldLayers + the sigmoid reference: the scaled layers are the mean-field net (1e-13)', () => {
    const w = [4, 9, 8, 2];
    const p = meanFieldInit(w, createRng(9), { dtype: 'float64', bias: 'torch-default' });
    const scaled = meanFieldLayers(p, { gammas: [0.6, 1] });
    expect(scaled[1]!.scale).to.equal(Math.pow(9, -0.6));
    expect(scaled[2]!.scale).to.equal(Math.pow(8, -1));
    expect(scaled[1]!.W).to.equal(p.layers[1]!.W); // shared, not copied
    // sigmoid forward by hand with the scales read off the layers
    const x = [0.3, -1.2, 0.8, 2.0];
    let h = x;
    scaled.forEach((layer, l) => {
      const [out, nin] = layer.shape as [number, number];
      h = Array.from({ length: out }, (_, j) => {
        let s = 0;
        for (let i = 0; i < nin; i++) s += layer.W[j * nin + i]! * h[i]!;
        const z = (layer.scale ?? 1) * s + layer.b![j]!;
        return l < scaled.length - 1 ? 1 / (1 + Math.exp(-z)) : z;
      });
    });
    const want = meanFieldForward(p, x, { gammas: [0.6, 1] }).output;
    h.forEach((v, k) => expect(Math.abs(v - want[k]!)).to.be.at.most(1e-13));
  });

  it('output second moment at init matches initOutputVariance (ReLU net through the registry and src/nn)', () => {
    // Claim (src/init, variance.ts): with mean-zero output weights C (U(−1, 1), E[C²] = 1/3) independent of the hidden
    // layers and no output bias, E[g²] = N_L^{1−2γ_L}·E[C²]·E[H_L²] for any hidden activation. For each of D weight
    // draws d the conditional mean over C is exact: E[Q_d | H] = c²·E[C²]·Σ_i M_ii =: E_d, where Q_d = mean_b g_b²,
    // M = mean_b H_b H_bᵀ and c = N_L^{−γ_L}; `initOutputVariance` with activationSecondMoment = mean_i M_ii gives E_d.
    // Its conditional variance is exact too: Var = c⁴·[(E C⁴ − (E C²)²)·Σ_i M_ii² + 2(E C²)²·Σ_{i≠j} M_ij²] with
    // E C⁴ = 1/5. So z = Σ_d (Q_d − E_d) / sqrt(Σ_d Var_d) is ≈ N(0, 1) (D = 300 independent draws, fixed seed);
    // we require |z| < 4. Without the N^−γ factors Q_d would be N_L^{2γ_L} = 4096 times larger (γ_L = 1, N_L = 64).
    const d = 12;
    const N = 64;
    const K = 1;
    const gammas = [0.75, 1];
    const shapes = [[N, d], [N, N], [K, N]];
    const B = 16;
    const xr = createRng(77);
    const x = tensor(Float64Array.from({ length: B * d }, () => xr.nextNormal()), [B, d], { dtype: 'float64' });
    const EC2 = CENTERED_OUTPUT_SECOND_MOMENT;
    const EC4 = 1 / 5;
    let num = 0;
    let den = 0;
    const D = 300;
    for (let draw = 0; draw < D; draw++) {
      const layers = initializeNetwork('meanfield', shapes, createRng(1000 + draw), { gammas, outputInit: 'centered', dtype: 'float64' });
      const net = denseFromInit(layers, { dtype: 'float64', requiresGrad: false });
      let H: Float64Array = new Float64Array(0);
      const g = mlpForward(net, x, { observe: (l, input) => { if (l === 2) H = input.dense() as Float64Array; } }).dense();
      let Q = 0;
      for (let k = 0; k < g.length; k++) Q += g[k]! ** 2 / B;
      const M = new Float64Array(N * N);
      for (let b = 0; b < B; b++) for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) M[i * N + j]! += (H[b * N + i]! * H[b * N + j]!) / B;
      let diag = 0;
      let diag2 = 0;
      let off2 = 0;
      for (let i = 0; i < N; i++) {
        diag += M[i * N + i]!;
        diag2 += M[i * N + i]! ** 2;
        for (let j = 0; j < N; j++) if (j !== i) off2 += M[i * N + j]! ** 2;
      }
      const E = initOutputVariance([d, N, N, K], gammas, { activationSecondMoment: diag / N, outputSecondMoment: EC2 });
      const c4 = Math.pow(N, -4 * gammas[1]!);
      num += Q - E;
      den += c4 * ((EC4 - EC2 * EC2) * diag2 + 2 * EC2 * EC2 * off2);
    }
    const z = num / Math.sqrt(den);
    expect(Math.abs(z)).to.be.below(4);
  });
});
