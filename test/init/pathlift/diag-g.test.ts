// Path-lifting: diag(G), G = ∂Φᵀ∂Φ, in O(p) against the explicit JᵀJ (docs/schemes/pathlift.md).
import { expect } from 'chai';
import fc from 'fast-check';
import { pathLiftingDiagG } from '../../../src/init/pathlift/diag-g.js';
import { applyLogRescaling, lambdaToLogScales, rescalingExponents } from '../../../src/init/pathlift/rescaling.js';
import { buildNet, flatParams, netSpecArb, pathsByIndex, randomLambda, relErr, smallNets, tinyNets } from '../../support/path-helpers.js';

describe('init/pathlift: diag(G), G = ∂Φᵀ∂Φ', () => {
  it('equals the diagonal of the explicit JᵀJ (J built by enumeration) on tiny nets', () => {
    fc.assert(
      fc.property(tinyNets, (spec) => {
        const net = buildNet(spec);
        const theta = flatParams(net);
        const ref = new Float64Array(theta.length);
        for (const p of pathsByIndex(net)) {
          for (const i of p.params) {
            let others = 1;
            for (const e of p.params) if (e !== i) others *= theta[e]!;
            ref[i] += others * others; // (J_{p,i})² summed over paths
          }
        }
        const g = pathLiftingDiagG(net);
        expect(g.flat.length).to.equal(theta.length);
        for (let i = 0; i < ref.length; i++) expect(relErr(g.flat[i]!, ref[i]!)).to.be.at.most(1e-12);
        // per-layer views agree with the flat vector
        let off = 0;
        net.forEach((layer, l) => {
          expect(Array.from(g.W[l]!)).to.deep.equal(Array.from(g.flat.subarray(off, off + layer.W.length)));
          off += layer.W.length;
          if (layer.b) {
            expect(Array.from(g.b[l]!)).to.deep.equal(Array.from(g.flat.subarray(off, off + layer.shape[0])));
            off += layer.shape[0];
          } else expect(g.b[l]).to.equal(undefined);
        });
      }),
      { seed: 104, numRuns: 60 },
    );
  });

  it('has rank(G) = p − H on generic nets (explicit G from enumeration)', () => {
    fc.assert(
      fc.property(netSpecArb({ maxWidth: 3, minDepth: 2, maxDepth: 3 }), (spec) => {
        const net = buildNet(spec);
        const theta = flatParams(net);
        const p = theta.length;
        const paths = pathsByIndex(net);
        if (paths.length < p) return; // rank bound by #paths: skip non-generic sizes
        const J: number[][] = paths.map((path) => {
          const row = new Array<number>(p).fill(0);
          for (const i of path.params) {
            let others = 1;
            for (const e of path.params) if (e !== i) others *= theta[e]!;
            row[i] = others;
          }
          return row;
        });
        const G: number[][] = [];
        for (let i = 0; i < p; i++) {
          G.push([]);
          for (let j = 0; j < p; j++) {
            let s = 0;
            for (const row of J) s += row[i]! * row[j]!;
            G[i]!.push(s);
          }
        }
        const H = net.slice(0, -1).reduce((a, layer) => a + layer.shape[0], 0);
        expect(numericalRank(G, 1e-9)).to.equal(p - H);
      }),
      { seed: 105, numRuns: 25 },
    );
  });

  it('transforms as g(T_z θ) = g(θ) ∘ exp(Bz)', () => {
    fc.assert(
      fc.property(smallNets, fc.integer({ min: 0, max: 1e6 }), (spec, zs) => {
        const net = buildNet(spec);
        const z = lambdaToLogScales(randomLambda(net, zs, 1));
        const g0 = pathLiftingDiagG(net).flat;
        const g1 = pathLiftingDiagG(applyLogRescaling(net, z)).flat;
        const bz = rescalingExponents(net, z);
        for (let i = 0; i < g0.length; i++) expect(relErr(g1[i]!, g0[i]! * Math.exp(bz[i]!))).to.be.at.most(1e-12);
      }),
      { seed: 106, numRuns: 60 },
    );
  });
});

/** Rank by Gaussian elimination with full pivoting, threshold tol·max|pivot|. */
function numericalRank(M: number[][], tol: number): number {
  const A = M.map((r) => r.slice());
  const n = A.length;
  const m = A[0]!.length;
  let rank = 0;
  let first = 0;
  const used = new Array<boolean>(m).fill(false);
  const rowUsed = new Array<boolean>(n).fill(false);
  for (;;) {
    let best = 0;
    let bi = -1;
    let bj = -1;
    for (let i = 0; i < n; i++) {
      if (rowUsed[i]) continue;
      for (let j = 0; j < m; j++) {
        if (!used[j] && Math.abs(A[i]![j]!) > best) {
          best = Math.abs(A[i]![j]!);
          bi = i;
          bj = j;
        }
      }
    }
    if (rank === 0) first = best;
    if (bi < 0 || best <= tol * first) return rank;
    rowUsed[bi] = true;
    used[bj] = true;
    rank++;
    for (let i = 0; i < n; i++) {
      if (rowUsed[i]) continue;
      const f = A[i]![bj]! / A[bi]![bj]!;
      for (let j = 0; j < m; j++) A[i]![j] -= f * A[bi]![j]!;
    }
  }
}
