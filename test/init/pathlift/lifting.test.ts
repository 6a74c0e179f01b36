// Path-lifting: Φ by enumeration, path-norms, diag(G), neuron-wise rescaling (spec/path_lifting_rescaling.md §1, §2, §6).
import { expect } from 'chai';
import fc from 'fast-check';
import { DomainError, NonFiniteError, ShapeError } from '../../../src/core/errors.js';
import { type DenseLayer, mlpForward, mlpForwardBatch, validateMlp } from '../../../src/init/support/mlp.js';
import {
  applyLogRescaling,
  applyNeuronRescaling,
  countPaths,
  enumeratePaths,
  flattenParams,
  invertNeuronRescaling,
  lambdaToLogScales,
  logScalesToLambda,
  pathLiftingDiagG,
  pathNorm,
  pathNormPow,
  rescalingExponents,
} from '../../../src/init/pathlift/lifting.js';
import { createRng } from '../../../src/init/support/rng.js';
import { buildNet, flatParams, forwardRef, maxFunctionGap, netSpecArb, pathsByIndex, relErr } from '../../support/path-helpers.js';

const tiny = netSpecArb({ maxWidth: 4, minDepth: 1, maxDepth: 4 });
const small = netSpecArb({ maxWidth: 8, minDepth: 2, maxDepth: 5, maxLogScale: 1.5 });

function randomLambda(net: readonly DenseLayer[], seed: number, sigma = 1.5): Float64Array[] {
  const rng = createRng(seed);
  return net.slice(0, -1).map((layer) => Float64Array.from({ length: layer.shape[0] }, () => Math.exp(sigma * rng.nextNormal())));
}

describe('init/pathlift: path vector Φ', () => {
  it('enumerates the paths of a hand-checked net ([1,2,1], bias on layer 1)', () => {
    const net: DenseLayer[] = [
      { shape: [2, 1], W: Float64Array.from([1, 2]), b: Float64Array.from([0.5, 0]) },
      { shape: [1, 2], W: Float64Array.from([3, 4]) },
    ];
    const { values, paths } = enumeratePaths(net);
    // input paths x→h1→y = 1·3, x→h2→y = 2·4; bias paths b1[0]·3, b1[1]·4
    expect(Array.from(values)).to.deep.equal([3, 8, 1.5, 0]);
    expect(paths.map((p) => p.start)).to.deep.equal([0, 0, 1, 1]);
    expect(paths[1]!.neurons).to.deep.equal([0, 1, 0]);
    expect(countPaths(net)).to.equal(4);
  });

  it('matches an independent enumeration by parameter indices, and the count formula', () => {
    fc.assert(
      fc.property(tiny, (spec) => {
        const net = buildNet(spec);
        const theta = flatParams(net);
        const ref = pathsByIndex(net).map((p) => p.params.reduce((acc, i) => acc * theta[i]!, 1));
        const { values } = enumeratePaths(net);
        expect(values.length).to.equal(ref.length);
        expect(countPaths(net)).to.equal(ref.length);
        for (let k = 0; k < ref.length; k++) expect(values[k]).to.equal(ref[k]);
      }),
      { seed: 101, numRuns: 60 },
    );
  });

  it('factorises the network: f_k(x) = Σ_{p→k} Φ_p · a_p(θ,x) · x̃_p', () => {
    fc.assert(
      fc.property(tiny, fc.integer({ min: 0, max: 1e6 }), (spec, xs) => {
        const net = buildNet(spec);
        const theta = flatParams(net);
        const rng = createRng(xs);
        const x = Array.from({ length: net[0]!.shape[1] }, () => rng.nextNormal());
        // activation indicators from an independent forward pass
        const act: boolean[][] = [];
        let h = x.slice();
        net.forEach((layer, l) => {
          const pre: number[] = [];
          for (let j = 0; j < layer.shape[0]; j++) {
            let s = layer.b ? layer.b[j]! : 0;
            for (let i = 0; i < layer.shape[1]; i++) s += layer.W[j * layer.shape[1] + i]! * h[i]!;
            pre.push(s);
          }
          act.push(pre.map((s) => s > 0));
          h = l < net.length - 1 ? pre.map((s) => Math.max(0, s)) : pre;
        });
        const f = new Array<number>(net[net.length - 1]!.shape[0]).fill(0);
        const fabs = new Array<number>(f.length).fill(0);
        for (const p of pathsByIndex(net)) {
          const phi = p.params.reduce((acc, i) => acc * theta[i]!, 1);
          const a = p.hidden.every(([l, j]) => act[l]![j]!) ? 1 : 0;
          const xt = p.input >= 0 ? x[p.input]! : 1;
          f[p.outK] += phi * a * xt;
          fabs[p.outK] += Math.abs(phi * xt);
        }
        const direct = mlpForward(net, x);
        for (let k = 0; k < f.length; k++) expect(Math.abs(f[k]! - direct[k]!)).to.be.at.most(1e-12 * (fabs[k]! + 1e-300));
      }),
      { seed: 102, numRuns: 60 },
    );
  });

  it('refuses to enumerate too many paths', () => {
    const net = buildNet({ widths: [30, 30, 30, 30, 30], hiddenBias: false, outputBias: false, seed: 1, logScales: [0, 0, 0, 0] });
    expect(() => enumeratePaths(net)).to.throw(DomainError, /maxPaths/);
  });
});

describe('init/pathlift: path-norms', () => {
  it('L1, L2 and Lq (q = 0.5, 3) path-norms equal the enumeration', () => {
    fc.assert(
      fc.property(tiny, (spec) => {
        const net = buildNet(spec);
        const { values } = enumeratePaths(net);
        for (const q of [1, 2, 0.5, 3]) {
          let s = 0;
          for (const v of values) s += Math.pow(Math.abs(v), q);
          expect(relErr(pathNormPow(net, q), s)).to.be.at.most(1e-12);
          expect(relErr(pathNorm(net, q), Math.pow(s, 1 / q))).to.be.at.most(1e-12);
        }
        expect(relErr(pathNormPow(net), pathLiftingDiagG(net).pathNorm2Sq)).to.be.at.most(1e-14);
      }),
      { seed: 103, numRuns: 60 },
    );
  });

  it('rejects non-positive or non-finite q with a DomainError naming q', () => {
    const net = buildNet({ widths: [2, 2, 1], hiddenBias: true, outputBias: false, seed: 3, logScales: [0, 0] });
    for (const q of [0, -1, Number.NaN, Infinity]) {
      expect(() => pathNorm(net, q)).to.throw(DomainError, /^q must be/);
      expect(() => pathNormPow(net, q)).to.throw(DomainError, /^q must be/);
    }
  });
});

describe('init/pathlift: diag(G), G = ∂Φᵀ∂Φ', () => {
  it('equals the diagonal of the explicit JᵀJ (J built by enumeration) on tiny nets', () => {
    fc.assert(
      fc.property(tiny, (spec) => {
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
      fc.property(small, fc.integer({ min: 0, max: 1e6 }), (spec, zs) => {
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

describe('init/pathlift: neuron-wise rescaling T_λ', () => {
  it('preserves the network function, Φ and every path-norm; the inverse restores θ', () => {
    fc.assert(
      fc.property(small, fc.integer({ min: 0, max: 1e6 }), (spec, ls) => {
        const net = buildNet(spec);
        const lambda = randomLambda(net, ls);
        const res = applyNeuronRescaling(net, lambda);
        expect(maxFunctionGap(net, res, createRng(ls + 1), 20)).to.be.at.most(1e-12);
        for (const q of [1, 2, 0.7]) expect(relErr(pathNorm(res, q), pathNorm(net, q))).to.be.at.most(1e-12);
        const back = invertNeuronRescaling(res, lambda);
        const t0 = flattenParams(net);
        const t1 = flattenParams(back);
        for (let i = 0; i < t0.length; i++) expect(Math.abs(t1[i]! - t0[i]!)).to.be.at.most(1e-13 * Math.abs(t0[i]!) + 1e-300);
        // log-parametrisation: λ = exp(z/2) gives the same network
        const viaZ = applyLogRescaling(net, lambdaToLogScales(lambda));
        const tz = flattenParams(viaZ);
        const tl = flattenParams(res);
        for (let i = 0; i < tz.length; i++) expect(relErr(tz[i]!, tl[i]!)).to.be.at.most(1e-13);
        const rt = logScalesToLambda(lambdaToLogScales(lambda));
        rt.forEach((arr, l) => arr.forEach((v, j) => expect(relErr(v, lambda[l]![j]!)).to.be.at.most(1e-14)));
      }),
      { seed: 107, numRuns: 80 },
    );
  });

  it('leaves Φ unchanged (tiny nets, ≤ 1e-12 relative to |Φ|_max)', () => {
    fc.assert(
      fc.property(tiny, fc.integer({ min: 0, max: 1e6 }), (spec, ls) => {
        const net = buildNet(spec);
        const a = enumeratePaths(net).values;
        const b = enumeratePaths(applyNeuronRescaling(net, randomLambda(net, ls))).values;
        for (let k = 0; k < a.length; k++) expect(Math.abs(a[k]! - b[k]!)).to.be.at.most(1e-12 * Math.max(Math.abs(a[k]!), 1e-300) + 1e-300);
      }),
      { seed: 108, numRuns: 60 },
    );
  });

  it('θ\' = θ ∘ exp(−Bz/2) with Bz = z_{l-1,i} − z_{l,j} on W_l[j,i] and −z_{l,j} on b_l[j]', () => {
    const net = buildNet({ widths: [2, 3, 2, 1], hiddenBias: true, outputBias: true, seed: 9, logScales: [0, 0, 0] });
    const z = [Float64Array.from([0.3, -0.2, 1]), Float64Array.from([0.5, -1])];
    const bz = rescalingExponents(net, z);
    // W_1[1,0]: z_0 = 0, z_1[1] = -0.2 → 0.2; b_1[2] → -1; W_2[0,2]: 1 − 0.5 = 0.5; W_3[0,1]: -1 − 0 = -1; b_3 → 0
    expect(bz[1 * 2 + 0]).to.be.closeTo(0.2, 1e-15);
    expect(bz[6 + 2]).to.be.closeTo(-1, 1e-15);
    expect(bz[9 + 0 * 3 + 2]).to.be.closeTo(0.5, 1e-15);
    expect(bz[9 + 6 + 2 + 1]).to.be.closeTo(-1, 1e-15);
    expect(bz[bz.length - 1]).to.equal(0);
    const t0 = flattenParams(net);
    const t1 = flattenParams(applyLogRescaling(net, z));
    for (let i = 0; i < t0.length; i++) expect(relErr(t1[i]!, t0[i]! * Math.exp(-bz[i]! / 2))).to.be.at.most(1e-14);
  });

  it('keeps the storage type (Float32Array in, Float32Array out)', () => {
    const net = buildNet({ widths: [3, 4, 2], hiddenBias: true, outputBias: true, seed: 5, logScales: [0, 0] });
    const net32 = net.map((l) => ({ shape: [l.shape[0], l.shape[1]], W: Float32Array.from(l.W), b: l.b ? Float32Array.from(l.b) : undefined }));
    const res = applyNeuronRescaling(net32, [Float64Array.from([1, 2, 3, 4])]);
    expect(res[0]!.W).to.be.instanceOf(Float32Array);
    expect(res[1]!.b).to.be.instanceOf(Float32Array);
  });
});

describe('init/mlp + pathlift: bad input', () => {
  const good = (): DenseLayer[] => buildNet({ widths: [2, 3, 1], hiddenBias: true, outputBias: false, seed: 1, logScales: [0, 0] });

  it('consecutive layers that do not chain: ShapeError naming the layer', () => {
    const net = good();
    const bad: DenseLayer[] = [net[0]!, { shape: [1, 4], W: new Float64Array(4) }];
    expect(() => pathLiftingDiagG(bad)).to.throw(ShapeError, /mlp\[1\]\.shape\[1\] \(in\) must equal mlp\[0\]\.shape\[0\] = 3/);
    expect(() => pathNorm(bad, 1)).to.throw(ShapeError, /mlp\[1\]\.shape\[1\] \(in\) must equal/);
    expect(() => enumeratePaths(bad)).to.throw(ShapeError, /mlp\[1\]\.shape\[1\] \(in\) must equal/);
  });

  it('wrong W / b sizes and empty networks: ShapeError', () => {
    const net = good();
    expect(() => validateMlp([{ shape: [3, 2], W: new Float64Array(5) }])).to.throw(ShapeError, /mlp\[0\]\.W must have out·in/);
    expect(() => validateMlp([{ ...net[0]!, b: new Float64Array(2) }])).to.throw(ShapeError, /mlp\[0\]\.b must have out = 3/);
    expect(() => validateMlp([])).to.throw(ShapeError, /non-empty/);
    expect(() => validateMlp([{ shape: [0, 2], W: new Float64Array(0) }])).to.throw(ShapeError, /mlp\[0\]\.shape\[0\] must be a positive integer/);
  });

  it('non-finite weights or biases: NonFiniteError naming the entry', () => {
    const net = good();
    const W = Float64Array.from(net[0]!.W);
    W[3] = Number.NaN;
    expect(() => pathLiftingDiagG([{ ...net[0]!, W }, net[1]!])).to.throw(NonFiniteError, /mlp\[0\]\.W\[1, 1\] must be finite, got NaN/);
    const b = Float64Array.from(net[0]!.b!);
    b[2] = Infinity;
    expect(() => pathNorm([{ ...net[0]!, b }, net[1]!])).to.throw(NonFiniteError, /mlp\[0\]\.b\[2\]/);
  });

  it('bad λ / z: ShapeError for the wrong layout, DomainError for non-positive λ', () => {
    const net = good();
    expect(() => applyNeuronRescaling(net, [])).to.throw(ShapeError, /lambda must be an array of 1/);
    expect(() => applyNeuronRescaling(net, [[1, 2]])).to.throw(ShapeError, /lambda\[0\] must have length/);
    expect(() => applyNeuronRescaling(net, [[1, 0, 2]])).to.throw(DomainError, /lambda\[0\]\[1\] must be a finite positive/);
    expect(() => applyLogRescaling(net, [[1, Number.NaN, 2]])).to.throw(DomainError, /z\[0\]\[1\]/);
  });

  it('mlpForwardBatch agrees with mlpForward', () => {
    const net = good();
    const data = Float64Array.from([0.5, -1, 2, 0.25]);
    const pre = mlpForwardBatch(net, { rows: 2, cols: 2, data });
    expect(pre[1]![1]).to.be.closeTo(mlpForward(net, [2, 0.25])[0]!, 1e-15);
    expect(forwardRef(net, [0.5, -1]).f[0]).to.be.closeTo(pre[1]![0]!, 1e-15);
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
