// Output variance at initialization of meanFieldNet scales as N_L^(1−2γ_L): log-log slope over N_L = 64 … 4096,
// measured on the tensor forward pass with fixed seeds, for three (γ_1, γ_L).
import { expect } from 'chai';
import { createRng } from '../../../src/init/index.js';
import { meanFieldNet } from '../../../src/nn/index.js';
import { tensor } from '../../../src/tensor/index.js';

describe('nn/meanfield: output variance at init scales as N_L^(1−2γ_L)', () => {
  // Net [d, n1, N, K] with n1 fixed and N = N_L varying, sigmoid, no bias, mean-zero C ~ U(−1, 1) ('centered').
  // Claim (exact at any finite width): E[g_k(x)²] = N^{1−2γ_L}·E[C²]·E[σ(Z^2_1(x))²], and Z^2_1 = n1^{−γ_1}·W^2_1·H^1(x)
  // does not involve N, so log E[g²] = (1 − 2γ_L)·log N + const with no finite-N correction.
  //
  // Estimator and tolerance (from the sample size): for each N, R independent nets (distinct seeds) give
  // Q_r = mean over B inputs and K outputs of g², i.i.d. over r with mean v_N. v̂_N = mean_r Q_r has standard error
  // s_N = sd(Q)/√R (sd taken from the sample, so heavy tails widen it); by the delta method log v̂_N has standard error
  // e_N = s_N / v̂_N and a Jensen bias −e_N²/2. The least-squares slope over u_N = log N is Σ c_N·log v̂_N with
  // c_N = (u_N − ū)/Σ(u − ū)², independent across N, so its standard error is sqrt(Σ c_N² e_N²) and its bias at most
  // Σ |c_N|·e_N²/2. We allow 4 standard errors plus that bias (two-sided normal tail 6e-5). With R = 200, K = 4 outputs
  // (independent rows of C) and B = 8 inputs, e_N ≈ 0.05 and the tolerance is about 0.07; the test also requires it to
  // stay below 0.12, so it separates slopes 0, −0.5 and −1 and cannot pass by being vacuous.
  const d = 4;
  const n1 = 4;
  const K = 4;
  const B = 8;
  const R = 200;
  const widthsN = [64, 256, 1024, 4096];
  const xr = createRng(11);
  const x = tensor(Float64Array.from({ length: B * d }, () => xr.nextNormal()), [B, d], { dtype: 'float64' });

  function slopeOf(gammas: [number, number], caseSeed: number): { slope: number; tol: number; values: number[] } {
    const u = widthsN.map(Math.log);
    const ubar = u.reduce((a, b) => a + b, 0) / u.length;
    const suu = u.reduce((a, v) => a + (v - ubar) ** 2, 0);
    let slope = 0;
    let var2 = 0;
    let bias = 0;
    const values: number[] = [];
    widthsN.forEach((N, k) => {
      const Q = new Float64Array(R);
      for (let r = 0; r < R; r++) {
        const net = meanFieldNet({ widths: [d, n1, N, K], gammas, seed: caseSeed * 1_000_000 + N * 1000 + r, outputInit: 'centered', dtype: 'float64' });
        const g = net.model.forward(x).dense();
        let q = 0;
        for (let i = 0; i < g.length; i++) q += g[i]! * g[i]!;
        Q[r] = q / g.length;
      }
      const m = Q.reduce((a, v) => a + v, 0) / R;
      const sd = Math.sqrt(Q.reduce((a, v) => a + (v - m) ** 2, 0) / (R - 1));
      const e = sd / Math.sqrt(R) / m;
      const c = (u[k]! - ubar) / suu;
      slope += c * Math.log(m);
      var2 += c * c * e * e;
      bias += (Math.abs(c) * e * e) / 2;
      values.push(m);
    });
    return { slope, tol: 4 * Math.sqrt(var2) + bias, values };
  }

  const cases: [number, number][] = [[1, 0.5], [0.5, 0.75], [0.75, 1]];
  cases.forEach((gammas, i) => {
    it(`γ = (${gammas.join(', ')}): slope of log Var[g] against log N_L is 1 − 2γ_L = ${1 - 2 * gammas[1]} within the stated tolerance`, () => {
      const { slope, tol, values } = slopeOf(gammas, i + 1);
      const want = 1 - 2 * gammas[1];
      expect(tol, 'tolerance').to.be.below(0.12);
      expect(Math.abs(slope - want), `slope ${slope} vs ${want} ± ${tol} (E[g²] by N: ${values.join(', ')})`).to.be.at.most(tol);
    });
  });
});
