// PathCond (PathCond objective as implemented in the authors' code; docs/schemes/pathlift.md); "§" numbers in test names refer to the sections of the original spec.
import { expect } from 'chai';
import fc from 'fast-check';
import { DomainError, ShapeError } from '../../../src/core/errors.js';
import { type DenseLayer, mlpForward } from '../../../src/init/support/mlp.js';
import { pathCondObjective, pathCondRescale } from '../../../src/init/pathlift/pathcond.js';
import { flattenParams, pathLiftingDiagG } from '../../../src/init/pathlift/diag-g.js';
import { enumeratePaths, pathNorm } from '../../../src/init/pathlift/paths.js';
import { applyNeuronRescaling } from '../../../src/init/pathlift/rescaling.js';
import { createRng } from '../../../src/init/support/rng.js';
import { buildNet, maxFunctionGap, netSpecArb, paramOffsets, relErr } from '../../support/path-helpers.js';

const FULL = { maxSweeps: 5000, tol: 1e-13 } as const;
const small = netSpecArb({ maxWidth: 8, minDepth: 2, maxDepth: 5, maxLogScale: 1 });

// Golden fixtures of spec §6 item 14 (float64 prototype values, given there to 10 significant digits or more).
const fixtureA = (): DenseLayer[] => [
  { shape: [2, 1], W: Float64Array.from([1, 2]), b: Float64Array.from([0.5, 0]) },
  { shape: [1, 2], W: Float64Array.from([3, 4]) },
];
const fixtureB = (): DenseLayer[] => [
  { shape: [3, 2], W: Float64Array.from([1, -2, 0.5, 1, -1.5, 0.25]), b: Float64Array.from([0.1, -0.2, 0.3]) },
  { shape: [2, 3], W: Float64Array.from([2, -1, 0.5, 0.1, 3, -1]), b: Float64Array.from([0, 0.5]) },
  { shape: [1, 2], W: Float64Array.from([1, -0.5]) },
];
const close = (got: ArrayLike<number>, want: readonly number[], tol: number): void => {
  expect(got.length).to.equal(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!), `index ${i}: ${got[i]} vs ${want[i]}`).to.be.at.most(tol);
};

describe('init/pathcond: golden fixtures (spec §6.14)', () => {
  it('fixture A: g, F(0), one sweep, z*, λ*, F*, rescaled weights', () => {
    const net = fixtureA();
    expect(Array.from(pathLiftingDiagG(net).flat)).to.deep.equal([9, 16, 9, 16, 1.25, 4]);
    expect(pathCondObjective(net, [[0, 0]])).to.be.closeTo(24.071210042387175, 1e-12);
    const one = pathCondRescale(net, { maxSweeps: 1, tol: 0 });
    close(one.z[0]!, [0.5613557366, 0.778546479], 1e-10);
    const r = pathCondRescale(net, FULL);
    close(r.z[0]!, [0.7605972883, 0.7887541116], 1e-10);
    close(r.lambda[0]!, [1.4627213574, 1.4834597904], 1e-10);
    expect(r.objectiveTrace.at(-1)).to.be.closeTo(22.783123563884136, 1e-11);
    expect(r.objectiveTrace[0]).to.be.closeTo(24.071210042387175, 1e-12);
    close(r.mlp[0]!.W, [1.4627213574, 2.9669195807], 1e-10);
    close(r.mlp[0]!.b!, [0.7313606787, 0], 1e-10);
    close(r.mlp[1]!.W, [2.0509716255, 2.6963993402], 1e-10);
    expect(r.converged).to.equal(true);
    expect(r.numParams).to.equal(6);
  });

  it('fixture B: F(0), z*, F*, f(x) before/after, W3\'', () => {
    const net = fixtureB();
    expect(pathCondObjective(net, [[0, 0, 0], [0, 0]])).to.be.closeTo(81.15846058966434, 1e-11);
    const r = pathCondRescale(net, FULL);
    close([...r.z[0]!, ...r.z[1]!], [-0.5755329219, -0.1306779011, -1.5759785265, -1.2491641621, -2.3367154041], 1e-10);
    expect(r.objectiveTrace.at(-1)).to.be.closeTo(70.3298375771247, 1e-11);
    expect(mlpForward(net, [0.3, -0.7])[0]).to.be.closeTo(3.26, 1e-14);
    expect(mlpForward(r.mlp, [0.3, -0.7])[0]).to.be.closeTo(3.26, 1e-13);
    close(r.mlp[2]!.W, [1.8674653451, -1.6083527547], 1e-10);
  });

  it('default settings are those of the authors\' entry point (10 sweeps, tol 1e-2)', () => {
    const net = buildNet({ widths: [5, 40, 40, 40, 3], hiddenBias: true, outputBias: true, seed: 11, logScales: [0.5, -0.5, 0.3, 0] });
    const r = pathCondRescale(net);
    const capped = pathCondRescale(net, { maxSweeps: 10, tol: 1e-2 });
    expect(Array.from(r.z[1]!)).to.deep.equal(Array.from(capped.z[1]!));
    expect(r.sweeps).to.be.at.most(10);
    expect(r.converged || r.sweeps === 10).to.equal(true);
    if (r.converged) expect(r.lastDelta).to.be.below(1e-2);
  });
});

describe('init/pathcond: invariants (spec §6)', () => {
  it('preserves the function (1e-12 relative), Φ and the path-norms', () => {
    fc.assert(
      fc.property(small, fc.boolean(), (spec, full) => {
        const net = buildNet(spec);
        const r = pathCondRescale(net, full ? FULL : {});
        expect(maxFunctionGap(net, r.mlp, createRng(spec.seed + 7), 20)).to.be.at.most(1e-12);
        for (const q of [1, 2]) expect(relErr(pathNorm(r.mlp, q), pathNorm(net, q))).to.be.at.most(1e-12);
        if (spec.widths.every((w) => w <= 4)) {
          const a = enumeratePaths(net).values;
          const b = enumeratePaths(r.mlp).values;
          for (let k = 0; k < a.length; k++) expect(Math.abs(a[k]! - b[k]!)).to.be.at.most(1e-12 * Math.abs(a[k]!) + 1e-300);
        }
      }),
      { seed: 201, numRuns: 60 },
    );
  });

  it('F is non-increasing after every coordinate update and every sweep', () => {
    fc.assert(
      fc.property(small, (spec) => {
        const r = pathCondRescale(buildNet(spec), { maxSweeps: 30, tol: 0, recordUpdates: true });
        const u = r.updateTrace!;
        const H = spec.widths.slice(1, -1).reduce((a, b) => a + b, 0);
        expect(u.length).to.equal(1 + 30 * H);
        for (let t = 1; t < u.length; t++) expect(u[t]!).to.be.at.most(u[t - 1]! + 1e-9 * Math.abs(u[t - 1]!));
        const s = r.objectiveTrace;
        for (let t = 1; t < s.length; t++) expect(s[t]!).to.be.at.most(s[t - 1]! + 1e-9 * Math.abs(s[t - 1]!));
        // the incremental and the exact objective agree
        expect(relErr(s.at(-1)!, pathCondObjective(buildNet(spec), r.z))).to.be.at.most(1e-10);
      }),
      { seed: 202, numRuns: 40 },
    );
  });

  it('is stationary at convergence: ∇F(z*) ≈ 0 (equivalently the balance identity of §3.3)', () => {
    fc.assert(
      fc.property(small, (spec) => {
        const net = buildNet(spec);
        const r = pathCondRescale(net, FULL);
        const prob = independentProblem(net);
        const { grad } = prob.evaluate(flatZ(r.z));
        for (const gh of grad) expect(Math.abs(gh)).to.be.at.most(1e-8 * prob.p);
      }),
      { seed: 203, numRuns: 40 },
    );
  });

  it('a second run on its own output moves nothing (max|z| ≤ 1e-8, weights unchanged)', () => {
    fc.assert(
      fc.property(small, (spec) => {
        const r1 = pathCondRescale(buildNet(spec), FULL);
        const r2 = pathCondRescale(r1.mlp, FULL);
        for (const zl of r2.z) for (const v of zl) expect(Math.abs(v)).to.be.at.most(1e-8);
        const a = flattenParams(r1.mlp);
        const b = flattenParams(r2.mlp);
        for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).to.be.at.most(1e-8 * Math.abs(a[i]!) + 1e-300);
      }),
      { seed: 204, numRuns: 40 },
    );
  });

  it('gives the same result from any point of the rescaling orbit', () => {
    fc.assert(
      fc.property(small, fc.integer({ min: 0, max: 1e6 }), (spec, ms) => {
        const net = buildNet(spec);
        const rng = createRng(ms);
        const mu = net.slice(0, -1).map((layer) => Float64Array.from({ length: layer.shape[0] }, () => Math.exp(1.5 * rng.nextNormal())));
        const a = flattenParams(pathCondRescale(net, FULL).mlp);
        const b = flattenParams(pathCondRescale(applyNeuronRescaling(net, mu), FULL).mlp);
        for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).to.be.at.most(1e-9 * Math.abs(a[i]!) + 1e-300);
      }),
      { seed: 205, numRuns: 40 },
    );
  });

  it('no biases: PathCond(cθ) = c·PathCond(θ) with z* unchanged; with biases z* depends on c', () => {
    const net = buildNet({ widths: [3, 6, 5, 2], hiddenBias: false, outputBias: false, seed: 21, logScales: [0.4, -0.3, 0.1] });
    const c = 3.7;
    const scaled = net.map((l) => ({ shape: [l.shape[0], l.shape[1]], W: Float64Array.from(l.W, (w) => c * w) }));
    const r0 = pathCondRescale(net, FULL);
    const r1 = pathCondRescale(scaled, FULL);
    r0.z.forEach((zl, l) => zl.forEach((v, j) => expect(Math.abs(v - r1.z[l]![j]!)).to.be.at.most(1e-9)));
    const a = flattenParams(r0.mlp);
    const b = flattenParams(r1.mlp);
    for (let i = 0; i < a.length; i++) expect(relErr(b[i]!, c * a[i]!)).to.be.at.most(1e-9);
    // with biases (regression, not an invariant)
    const nb = buildNet({ widths: [3, 6, 5, 2], hiddenBias: true, outputBias: false, seed: 21, logScales: [0, 0, 0] });
    const nbs = nb.map((l) => ({ shape: [l.shape[0], l.shape[1]], W: Float64Array.from(l.W, (w) => c * w), ...(l.b ? { b: Float64Array.from(l.b, (x) => c * x) } : {}) }));
    const d = Math.abs(pathCondRescale(nb, FULL).z[0]![0]! - pathCondRescale(nbs, FULL).z[0]![0]!);
    expect(d).to.be.above(1e-3);
  });

  it('criterion identities: F − Σlog g − p·log p = p·log(AM/GM) ≥ 0 and g → k·g shifts F by p·log k', () => {
    fc.assert(
      fc.property(small, fc.integer({ min: 0, max: 1e6 }), (spec, zs) => {
        const net = buildNet(spec);
        const rng = createRng(zs);
        const z = net.slice(0, -1).map((layer) => Float64Array.from({ length: layer.shape[0] }, () => rng.nextNormal()));
        const g = pathLiftingDiagG(net).flat;
        const p = g.length;
        const F = pathCondObjective(net, z, g);
        const prob = independentProblem(net);
        const bz = prob.bz(flatZ(z));
        let logg = 0;
        let am = 0;
        let lgm = 0;
        for (let i = 0; i < p; i++) {
          logg += Math.log(g[i]!);
          const gp = g[i]! * Math.exp(bz[i]!);
          am += gp / p;
          lgm += Math.log(gp) / p;
        }
        const lhs = F - logg - p * Math.log(p);
        const rhs = p * (Math.log(am) - lgm);
        expect(rhs).to.be.at.least(0);
        expect(Math.abs(lhs - rhs)).to.be.at.most(1e-9 * (Math.abs(F) + Math.abs(logg) + p * Math.log(p)));
        const k = 17.5;
        const Fk = pathCondObjective(net, z, Float64Array.from(g, (x) => k * x));
        expect(Math.abs(Fk - F - p * Math.log(k))).to.be.at.most(1e-9 * Math.abs(Fk));
      }),
      { seed: 206, numRuns: 40 },
    );
  });

  it('wide no-bias nets: Var(W\'_l)·n_{l-1}·n_l is the same constant K for all layers (spec §6.13, 2%)', () => {
    // Kaiming-normal init on widths [30, 300, 100, 400, 10]; K from the realised variances of the drawn weights.
    const widths = [30, 300, 100, 400, 10];
    const rng = createRng(2024);
    const net: DenseLayer[] = [];
    for (let l = 0; l < 4; l++) {
      const W = new Float64Array(widths[l + 1]! * widths[l]!);
      for (let i = 0; i < W.length; i++) W[i] = Math.sqrt(2 / widths[l]!) * rng.nextNormal();
      net.push({ W, shape: [widths[l + 1]!, widths[l]!] });
    }
    const v = (W: ArrayLike<number>): number => {
      let s = 0;
      for (let i = 0; i < W.length; i++) s += W[i]! * W[i]!;
      return s / W.length;
    };
    let logK = 0;
    net.forEach((l) => (logK += Math.log(v(l.W) * l.shape[1] * l.shape[0]) / 4));
    const K = Math.exp(logK);
    const r = pathCondRescale(net, { maxSweeps: 300, tol: 1e-6 });
    r.mlp.forEach((l) => expect(relErr(v(l.W) * l.shape[1] * l.shape[0], K)).to.be.at.most(0.02));
  });

  it('Float32 networks come back as Float32 with the same function (float32 tolerance)', () => {
    const net = buildNet({ widths: [4, 8, 8, 2], hiddenBias: true, outputBias: true, seed: 8, logScales: [1, -1, 0] });
    const n32 = net.map((l) => ({ shape: [l.shape[0], l.shape[1]], W: Float32Array.from(l.W), ...(l.b ? { b: Float32Array.from(l.b) } : {}) }));
    const r = pathCondRescale(n32);
    expect(r.mlp[0]!.W).to.be.instanceOf(Float32Array);
    expect(maxFunctionGap(n32, r.mlp, createRng(3), 20)).to.be.at.most(1e-6);
  });

  it('neurons with zero outgoing weights hit the clamp, are reported, and the function is kept', () => {
    const net = buildNet({ widths: [3, 4, 2], hiddenBias: true, outputBias: false, seed: 4, logScales: [0, 0] });
    const W2 = Float64Array.from(net[1]!.W);
    for (let k = 0; k < 2; k++) W2[k * 4 + 1] = 0; // neuron 1 of the hidden layer feeds nothing
    const dead: DenseLayer[] = [net[0]!, { ...net[1]!, W: W2 }];
    const r = pathCondRescale(dead, { maxSweeps: 20, zClamp: 30 });
    expect(r.clamped).to.deep.equal([{ layer: 1, neuron: 1 }]);
    expect(r.z[0]![1]).to.equal(-30);
    for (const zl of r.z) for (const x of zl) expect(Number.isFinite(x)).to.equal(true);
    expect(maxFunctionGap(dead, r.mlp, createRng(1), 10)).to.be.at.most(1e-12);
  });
});

describe('init/pathcond: agreement with an independent Newton solver on held-out nets', () => {
  it('reaches the same F* on random nets (widths 1..64, depth 2..8, with/without biases)', function () {
    this.timeout(60000);
    const rng = createRng(777);
    const report: string[] = [];
    let worst = 0;
    for (let t = 0; t < 10; t++) {
      const L = 2 + rng.nextInt(7);
      // keep the hidden count modest so that the dense Newton solve stays fast (Σ hidden ≤ 200)
      const widths: number[] = [];
      for (let l = 0; l <= L; l++) widths.push(1 + rng.nextInt(64));
      let H = widths.slice(1, -1).reduce((a, b) => a + b, 0);
      while (H > 200) {
        const l = 1 + rng.nextInt(L - 1);
        widths[l] = Math.max(1, Math.floor(widths[l]! / 2));
        H = widths.slice(1, -1).reduce((a, b) => a + b, 0);
      }
      const spec = {
        widths,
        hiddenBias: rng.nextInt(2) === 1,
        outputBias: rng.nextInt(2) === 1,
        seed: rng.nextInt(1e9),
        logScales: Array.from({ length: L }, () => 0.5 * rng.nextNormal()),
      };
      const net = buildNet(spec);
      const prob = independentProblem(net);
      const newton = newtonMinimize(prob);
      const pc = pathCondRescale(net, FULL);
      const Fpc = pc.objectiveTrace.at(-1)!;
      const Fdef = pathCondRescale(net).objectiveTrace.at(-1)!;
      const rel = relErr(Fpc, newton.F);
      worst = Math.max(worst, rel);
      let dz = 0;
      const zf = flatZ(pc.z);
      zf.forEach((v, h) => (dz = Math.max(dz, Math.abs(v - newton.z[h]!))));
      report.push(`${JSON.stringify(widths)} b=${spec.hiddenBias ? 1 : 0}${spec.outputBias ? 1 : 0}: F*=${newton.F.toFixed(6)} relΔF=${rel.toExponential(1)} max|Δz|=${dz.toExponential(1)} sweeps=${pc.sweeps} default-gap=${((Fdef - newton.F) / Math.abs(newton.F)).toExponential(1)}`);
      expect(rel, report.at(-1)).to.be.at.most(1e-11);
      expect(dz, report.at(-1)).to.be.at.most(1e-5);
    }
    if (process.env['INITLAB_VERBOSE']) console.log(report.join('\n') + `\nworst rel ΔF ${worst.toExponential(2)}`);
  });
});

describe('init/pathcond: bad input', () => {
  it('malformed networks and options raise typed errors naming the argument', () => {
    const net = fixtureA();
    expect(() => pathCondRescale([net[0]!, { shape: [1, 3], W: new Float64Array(3) }])).to.throw(ShapeError, /mlp\[1\]\.shape\[1\] \(in\) must equal/);
    expect(() => pathCondRescale(net, { maxSweeps: -1 })).to.throw(DomainError, /options\.maxSweeps/);
    expect(() => pathCondRescale(net, { maxSweeps: 1.5 })).to.throw(DomainError, /options\.maxSweeps/);
    expect(() => pathCondRescale(net, { tol: Number.NaN })).to.throw(DomainError, /options\.tol/);
    expect(() => pathCondRescale(net, { eps: -1 })).to.throw(DomainError, /options\.eps/);
    expect(() => pathCondRescale(net, { zClamp: 0 })).to.throw(DomainError, /options\.zClamp/);
    const W = Float64Array.from([1, Infinity]);
    expect(() => pathCondRescale([{ ...net[0]!, W }, net[1]!])).to.throw(DomainError, /mlp\[0\]\.W\[1, 0\] must be finite/);
    expect(() => pathCondObjective(net, [[0, 0]], [1, 2])).to.throw(DomainError, /g must have p = 6/);
  });

  it('a single linear layer has nothing to rescale', () => {
    const r = pathCondRescale([{ shape: [2, 3], W: Float64Array.from([1, 2, 3, 4, 5, 6]) }]);
    expect(r.z).to.deep.equal([]);
    expect(r.sweeps).to.equal(0);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Independent implementation of the spec's objective (written from the formula, sparse incidence B built from the
// definition in §1, g from the squared forward/backward of §2.6 written as dense matrix products), minimised by a
// damped Newton method with a Cholesky solve: a different algorithm from the coordinate descent under test.
// ---------------------------------------------------------------------------------------------------------------

function flatZ(z: readonly ArrayLike<number>[]): number[] {
  const out: number[] = [];
  for (const zl of z) for (let j = 0; j < zl.length; j++) out.push(zl[j]!);
  return out;
}

interface Problem {
  p: number;
  H: number;
  bz(z: readonly number[]): Float64Array;
  evaluate(z: readonly number[]): { F: number; grad: Float64Array; w: Float64Array; S: number; m: number };
  inH: Int32Array;
  outH: Int32Array;
}

function independentProblem(net: readonly DenseLayer[]): Problem {
  const L = net.length;
  const { offW, offB, p } = paramOffsets(net);
  const hidOff: number[] = [];
  let H = 0;
  for (let l = 0; l < L - 1; l++) {
    hidOff.push(H);
    H += net[l]!.shape[0];
  }
  const inH = new Int32Array(p).fill(-1);
  const outH = new Int32Array(p).fill(-1);
  net.forEach((layer, l) => {
    for (let j = 0; j < layer.shape[0]; j++) {
      for (let i = 0; i < layer.shape[1]; i++) {
        const idx = offW[l]! + j * layer.shape[1] + i;
        if (l < L - 1) inH[idx] = hidOff[l]! + j;
        if (l > 0) outH[idx] = hidOff[l - 1]! + i;
      }
      if (layer.b && l < L - 1) inH[offB[l]! + j] = hidOff[l]! + j;
    }
  });
  // g via dense products of the squared weight matrices: v_l = M_l v_{l-1} + b_l², u_{l-1} = M_lᵀ u_l
  const M = net.map((layer) => Array.from({ length: layer.shape[0] }, (_, j) => Array.from({ length: layer.shape[1] }, (_, i) => layer.W[j * layer.shape[1] + i]! ** 2)));
  const v: number[][] = [new Array<number>(net[0]!.shape[1]).fill(1)];
  net.forEach((layer, l) => v.push(M[l]!.map((row, j) => row.reduce((s, mji, i) => s + mji * v[l]![i]!, layer.b ? layer.b[j]! ** 2 : 0))));
  const u: number[][] = new Array<number[]>(L);
  u[L - 1] = new Array<number>(net[L - 1]!.shape[0]).fill(1);
  for (let l = L - 1; l >= 1; l--) u[l - 1] = Array.from({ length: net[l]!.shape[1] }, (_, i) => M[l]!.reduce((s, row, j) => s + row[i]! * u[l]![j]!, 0));
  const g = new Float64Array(p);
  net.forEach((layer, l) => {
    for (let j = 0; j < layer.shape[0]; j++) {
      for (let i = 0; i < layer.shape[1]; i++) g[offW[l]! + j * layer.shape[1] + i] = u[l]![j]! * v[l]![i]!;
      if (layer.b) g[offB[l]! + j] = u[l]![j]!;
    }
  });
  const bz = (z: readonly number[]): Float64Array => {
    const out = new Float64Array(p);
    for (let i = 0; i < p; i++) out[i] = (outH[i]! >= 0 ? z[outH[i]!]! : 0) - (inH[i]! >= 0 ? z[inH[i]!]! : 0);
    return out;
  };
  const evaluate = (z: readonly number[]) => {
    const e = bz(z);
    let m = -Infinity;
    for (let i = 0; i < p; i++) if (g[i]! > 0) m = Math.max(m, e[i]!);
    const w = new Float64Array(p);
    let S = 0;
    let sumBz = 0;
    for (let i = 0; i < p; i++) {
      w[i] = g[i]! > 0 ? g[i]! * Math.exp(e[i]! - m) : 0;
      S += w[i]!;
      sumBz += e[i]!;
    }
    const F = p * (m + Math.log(S)) - sumBz;
    const grad = new Float64Array(H);
    for (let i = 0; i < p; i++) {
      const c = (p * w[i]!) / S - 1;
      if (outH[i]! >= 0) grad[outH[i]!] += c;
      if (inH[i]! >= 0) grad[inH[i]!] -= c;
    }
    return { F, grad, w, S, m };
  };
  return { p, H, bz, evaluate, inH, outH };
}

function newtonMinimize(prob: Problem): { z: number[]; F: number; iters: number } {
  const { p, H, inH, outH } = prob;
  let z = new Array<number>(H).fill(0);
  let cur = prob.evaluate(z);
  let iters = 0;
  for (; iters < 100; iters++) {
    const { grad, w, S } = cur;
    // Hessian: p·(Bᵀ diag(w) B / S − (Bᵀw)(Bᵀw)ᵀ / S²)
    const Hs = new Float64Array(H * H);
    const bw = new Float64Array(H);
    for (let i = 0; i < p; i++) {
      const a = outH[i]!;
      const b = inH[i]!;
      const wi = w[i]! / S;
      if (a >= 0) {
        Hs[a * H + a] += wi;
        bw[a] += wi;
      }
      if (b >= 0) {
        Hs[b * H + b] += wi;
        bw[b] -= wi;
      }
      if (a >= 0 && b >= 0) {
        Hs[a * H + b] -= wi;
        Hs[b * H + a] -= wi;
      }
    }
    let tr = 0;
    for (let r = 0; r < H; r++) for (let c = 0; c < H; c++) Hs[r * H + c] = p * (Hs[r * H + c]! - bw[r]! * bw[c]!);
    for (let r = 0; r < H; r++) tr += Hs[r * H + r]!;
    for (let r = 0; r < H; r++) Hs[r * H + r] += 1e-14 * (tr / H);
    const d = choleskySolve(Hs, H, Array.from(grad, (x) => -x));
    let gd = 0;
    for (let h = 0; h < H; h++) gd += grad[h]! * d[h]!;
    if (-gd < 1e-22 * Math.max(1, Math.abs(cur.F))) break;
    let t = 1;
    let next = prob.evaluate(z.map((zh, h) => zh + t * d[h]!));
    while (next.F > cur.F + 1e-4 * t * gd && t > 1e-12) {
      t /= 2;
      next = prob.evaluate(z.map((zh, h) => zh + t * d[h]!));
    }
    if (next.F > cur.F) break;
    z = z.map((zh, h) => zh + t * d[h]!);
    cur = next;
  }
  return { z, F: cur.F, iters };
}

function choleskySolve(A: Float64Array, n: number, rhs: number[]): number[] {
  const Lm = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j]!;
      for (let k = 0; k < j; k++) s -= Lm[i * n + k]! * Lm[j * n + k]!;
      if (i === j) Lm[i * n + i] = Math.sqrt(Math.max(s, 1e-300));
      else Lm[i * n + j] = s / Lm[j * n + j]!;
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = rhs[i]!;
    for (let k = 0; k < i; k++) s -= Lm[i * n + k]! * y[k]!;
    y[i] = s / Lm[i * n + i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= Lm[k * n + i]! * x[k]!;
    x[i] = s / Lm[i * n + i]!;
  }
  return x;
}
