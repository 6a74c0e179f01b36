// LPS-R (reconstruction of the LPS initialization of Chen, Hao & He; docs/schemes/lps.md): the per-layer solve lpsDense.
// Reference numbers quoted below come from the spec's float64 prototype, not from the paper.
import { expect } from 'chai';
import { lpsDense } from '../../../src/init/lps/dense.js';
import { createRng } from '../../../src/init/support/rng.js';
import { randomBatch } from './lps-helpers.js';

describe('init/lps: LPS-R (reconstruction) dense layers, per-layer solve', () => {
  it('square case: [W | b] equals a direct Gaussian-elimination solve of A_S Θ = c·T', () => {
    const rng = createRng(5);
    const X = randomBatch(rng, 30, 6);
    const res = lpsDense(X, 4, createRng(6), { dtype: 'float64' });
    expect(res.k).to.equal(7);
    const A = res.anchors.map((s) => [...Array.from({ length: 6 }, (_, i) => X.data[s * 6 + i]!), 1]);
    for (let j = 0; j < 4; j++) {
      const sol = gaussSolve(A, res.anchors.map((_, a) => res.targets[a * 4 + j]!));
      for (let i = 0; i < 6; i++) expect(Math.abs(sol[i]! - res.W[j * 6 + i]!)).to.be.at.most(1e-10 * Math.max(1, Math.abs(sol[i]!)));
      expect(Math.abs(sol[6]! - res.b[j]!)).to.be.at.most(1e-10 * Math.max(1, Math.abs(sol[6]!)));
    }
  });

  it('under-determined LPS-R+: the null-space term leaves the anchor values exact', () => {
    const X = randomBatch(createRng(8), 5, 12);
    const plus = lpsDense(X, 3, createRng(9), { mode: 'plus', dtype: 'float64' });
    expect(plus.k).to.equal(5);
    const A = plus.anchors.map((s) => [...Array.from({ length: 12 }, (_, i) => X.data[s * 12 + i]!), 1]);
    for (let j = 0; j < 3; j++) {
      const theta = [...Array.from({ length: 12 }, (_, i) => plus.W[j * 12 + i]!), plus.b[j]!];
      A.forEach((row, a) => {
        const z = row.reduce((s, x, i) => s + x * theta[i]!, 0);
        expect(Math.abs(z - plus.targets[a * 3 + j]!)).to.be.at.most(1e-9);
      });
    }
  });

});

describe('init/lps: dying ReLU on the narrow-deep setting of spec §6.3 (per-layer)', () => {
  it('faithful mode: a neuron is non-positive on all its k anchors with probability 2^-k (spec §5 item 10)', () => {
    // fan-in 2 on generic data gives k = 3 anchors; 250 seeds × 8 neurons = 2000 independent Bernoulli(1/8) trials.
    // Tolerance: 5 standard errors, 5·sqrt(0.125·0.875/2000) ≈ 0.037.
    let hits = 0;
    let trials = 0;
    for (let s = 0; s < 250; s++) {
      const X = randomBatch(createRng(20000 + s), 12, 2);
      const r = lpsDense(X, 8, createRng(30000 + s), { dtype: 'float64' });
      expect(r.k).to.equal(3);
      for (let j = 0; j < 8; j++) {
        let allNeg = true;
        for (let a = 0; a < r.k; a++) if (r.targets[a * 8 + j]! > 0) allNeg = false;
        hits += allNeg ? 1 : 0;
        trials++;
      }
    }
    expect(Math.abs(hits / trials - 0.125)).to.be.at.most(0.037);
  });

});

// ----------------------------------------------------------------------------------------------------------------
// Independent helpers

/** Gaussian elimination with partial pivoting for a square system. */
function gaussSolve(A0: readonly number[][], rhs0: readonly number[]): number[] {
  const n = A0.length;
  const A = A0.map((r) => r.slice());
  const y = rhs0.slice();
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[piv]![c]!)) piv = r;
    [A[c], A[piv]] = [A[piv]!, A[c]!];
    [y[c], y[piv]] = [y[piv]!, y[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = A[r]![c]! / A[c]![c]!;
      for (let k = c; k < n; k++) A[r]![k] -= f * A[c]![k]!;
      y[r] -= f * y[c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = y[r]!;
    for (let k = r + 1; k < n; k++) s -= A[r]![k]! * x[k]!;
    x[r] = s / A[r]![r]!;
  }
  return x;
}
