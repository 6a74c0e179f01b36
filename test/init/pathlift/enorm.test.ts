// ENorm baseline (docs/schemes/pathlift.md); "§" numbers in test names refer to the sections of the original spec.
import { expect } from 'chai';
import fc from 'fast-check';
import { DomainError, ShapeError } from '../../../src/core/errors.js';
import type { DenseLayer } from '../../../src/init/support/mlp.js';
import { enormCost, enormRescale } from '../../../src/init/pathlift/enorm.js';
import { flattenParams } from '../../../src/init/pathlift/diag-g.js';
import { pathNorm } from '../../../src/init/pathlift/paths.js';
import { applyNeuronRescaling } from '../../../src/init/pathlift/rescaling.js';
import { createRng } from '../../../src/init/support/rng.js';
import { buildNet, maxFunctionGap, netSpecArb, relErr } from '../../support/path-helpers.js';

const small = netSpecArb({ maxWidth: 8, minDepth: 2, maxDepth: 5, maxLogScale: 1.5 });

/** Per hidden neuron: IN = ‖W_l[j,:]‖² + b_l[j]², OUT = ‖W_{l+1}[:,j]‖² (independent loops). */
function energies(net: readonly DenseLayer[]): { IN: number; OUT: number }[] {
  const res: { IN: number; OUT: number }[] = [];
  for (let l = 0; l < net.length - 1; l++) {
    const a = net[l]!;
    const o = net[l + 1]!;
    for (let j = 0; j < a.shape[0]; j++) {
      let IN = a.b ? a.b[j]! ** 2 : 0;
      for (let i = 0; i < a.shape[1]; i++) IN += a.W[j * a.shape[1] + i]! ** 2;
      let OUT = 0;
      for (let k = 0; k < o.shape[0]; k++) OUT += o.W[k * o.shape[1] + j]! ** 2;
      res.push({ IN, OUT });
    }
  }
  return res;
}

describe('init/enorm: function-preserving ENorm', () => {
  it('preserves the function (1e-12), the path-norms, and never increases the energy', () => {
    fc.assert(
      fc.property(small, fc.integer({ min: 1, max: 20 }), (spec, cycles) => {
        const net = buildNet(spec);
        const r = enormRescale(net, { cycles });
        expect(r.functionPreserving).to.equal(true);
        expect(r.cycles).to.equal(cycles);
        expect(maxFunctionGap(net, r.mlp, createRng(spec.seed), 20)).to.be.at.most(1e-12);
        for (const q of [1, 2]) expect(relErr(pathNorm(r.mlp, q), pathNorm(net, q))).to.be.at.most(1e-12);
        const t = r.costTrace;
        expect(t.length).to.equal(cycles + 1);
        expect(t[0]).to.be.closeTo(enormCost(net), 1e-12 * t[0]!);
        for (let k = 1; k < t.length; k++) expect(t[k]!).to.be.at.most(t[k - 1]! * (1 + 1e-12));
        // λ reported = the rescaling that maps the input to the output
        const viaLambda = flattenParams(applyNeuronRescaling(net, r.lambda));
        const got = flattenParams(r.mlp);
        for (let i = 0; i < got.length; i++) expect(relErr(got[i]!, viaLambda[i]!)).to.be.at.most(1e-12);
      }),
      { seed: 301, numRuns: 60 },
    );
  });

  it('converges to the equi-normalised fixed point IN_j = OUT_j, orbit-canonically', () => {
    fc.assert(
      fc.property(small, fc.integer({ min: 0, max: 1e6 }), (spec, ms) => {
        const net = buildNet(spec);
        const r = enormRescale(net, { cycles: 3000, tol: 1e-14 });
        for (const { IN, OUT } of energies(r.mlp)) {
          if (IN > 0 && OUT > 0) expect(relErr(IN, OUT)).to.be.at.most(1e-8);
        }
        const rng = createRng(ms);
        const mu = net.slice(0, -1).map((layer) => Float64Array.from({ length: layer.shape[0] }, () => Math.exp(rng.nextNormal())));
        const r2 = enormRescale(applyNeuronRescaling(net, mu), { cycles: 3000, tol: 1e-14 });
        const a = flattenParams(r.mlp);
        const b = flattenParams(r2.mlp);
        for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).to.be.at.most(1e-7 * Math.abs(a[i]!) + 1e-300);
      }),
      { seed: 302, numRuns: 30 },
    );
  });

  it('one hidden layer: one cycle lands on λ = (OUT/(c²·IN))^{1/4} exactly', () => {
    const net = buildNet({ widths: [3, 4, 2], hiddenBias: true, outputBias: true, seed: 12, logScales: [1, -1] });
    const c = 1.2;
    const e = energies(net);
    const r = enormRescale(net, { asymmetry: c });
    e.forEach(({ IN, OUT }, j) => expect(relErr(r.lambda[0]![j]!, Math.pow(OUT / (c * c * IN), 0.25))).to.be.at.most(1e-14));
    expect(maxFunctionGap(net, r.mlp, createRng(2), 10)).to.be.at.most(1e-12);
  });
});

describe('init/enorm: reference-code-compatible variant (facebookresearch/enorm behaviour)', () => {
  it('does not count or rescale biases: the function changes when hidden biases are non-zero', () => {
    const net = buildNet({ widths: [3, 5, 4, 2], hiddenBias: true, outputBias: false, seed: 13, logScales: [1, 0, -1] });
    const r = enormRescale(net, { variant: 'reference-code', cycles: 3 });
    expect(r.functionPreserving).to.equal(false);
    expect(r.variant).to.equal('reference-code');
    expect(maxFunctionGap(net, r.mlp, createRng(5), 20)).to.be.above(1e-6);
    net.slice(0, -1).forEach((layer, l) => expect(Array.from(r.mlp[l]!.b!)).to.deep.equal(Array.from(layer.b!)));
  });

  it('without hidden biases it is still a rescaling (function kept), λ = (‖col‖/(c‖row‖))^{1/2} on one hidden layer', () => {
    const net = buildNet({ widths: [4, 6, 3], hiddenBias: false, outputBias: true, seed: 14, logScales: [0.5, -0.5] });
    const c = 1.2;
    const r = enormRescale(net, { variant: 'reference-code', asymmetry: c });
    expect(r.functionPreserving).to.equal(true);
    expect(maxFunctionGap(net, r.mlp, createRng(6), 20)).to.be.at.most(1e-12);
    energies(net).forEach(({ IN, OUT }, j) => expect(relErr(r.lambda[0]![j]!, Math.sqrt(Math.sqrt(OUT) / (c * Math.sqrt(IN))))).to.be.at.most(1e-14));
  });

  it('reads the row norms of W_l at the start of the cycle (quirk of _step_fc), unlike the clean variant', () => {
    const net = buildNet({ widths: [3, 4, 4, 2], hiddenBias: false, outputBias: false, seed: 15, logScales: [1, -1, 0.5] });
    const ref = enormRescale(net, { variant: 'reference-code' });
    const clean = enormRescale(net, { variant: 'function-preserving' });
    // layer 1 identical (nothing rescaled before it); layer 2 differs because W_2's columns were rescaled in between
    ref.lambda[0]!.forEach((v, j) => expect(relErr(v, clean.lambda[0]![j]!)).to.be.at.most(1e-14));
    // independent computation of the layer-2 balancer with snapshotted row norms
    const rowSq = (layer: DenseLayer, j: number): number => {
      let s = 0;
      for (let i = 0; i < layer.shape[1]; i++) s += layer.W[j * layer.shape[1] + i]! ** 2;
      return s;
    };
    const after1 = applyNeuronRescaling(net, [ref.lambda[0]!, new Float64Array(4).fill(1)]);
    for (let j = 0; j < 4; j++) {
      let out = 0;
      for (let k = 0; k < 2; k++) out += after1[2]!.W[k * 4 + j]! ** 2;
      expect(relErr(ref.lambda[1]![j]!, Math.pow(out / rowSq(net[1]!, j), 0.25))).to.be.at.most(1e-13);
    }
    expect(Math.abs(ref.lambda[1]![0]! - clean.lambda[1]![0]!)).to.be.above(1e-6);
  });
});

describe('init/enorm: bad input', () => {
  it('typed errors naming the argument', () => {
    const net = buildNet({ widths: [2, 3, 1], hiddenBias: true, outputBias: false, seed: 1, logScales: [0, 0] });
    expect(() => enormRescale(net, { cycles: -1 })).to.throw(DomainError, /options\.cycles/);
    expect(() => enormRescale(net, { asymmetry: 0 })).to.throw(DomainError, /options\.asymmetry/);
    expect(() => enormRescale(net, { tol: -1 })).to.throw(DomainError, /options\.tol/);
    expect(() => enormRescale(net, { variant: 'facebook' as 'reference-code' })).to.throw(DomainError, /options\.variant/);
    expect(() => enormRescale([net[0]!, { shape: [1, 2], W: new Float64Array(2) }])).to.throw(ShapeError, /mlp\[1\]\.shape\[1\] \(in\) must equal/);
    const W = Float64Array.from(net[0]!.W);
    W[0] = Number.NaN;
    expect(() => enormRescale([{ ...net[0]!, W }, net[1]!])).to.throw(DomainError, /mlp\[0\]\.W\[0, 0\] must be finite/);
  });
});
