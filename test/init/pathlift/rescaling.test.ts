// Path-lifting: neuron-wise rescaling T_λ and its log-parametrisation (docs/schemes/pathlift.md).
import { expect } from 'chai';
import fc from 'fast-check';
import { enumeratePaths, pathNorm } from '../../../src/init/pathlift/paths.js';
import {
  applyLogRescaling,
  applyNeuronRescaling,
  invertNeuronRescaling,
  lambdaToLogScales,
  logScalesToLambda,
  rescalingExponents,
} from '../../../src/init/pathlift/rescaling.js';
import { flattenParams } from '../../../src/init/pathlift/diag-g.js';
import { createRng } from '../../../src/init/support/rng.js';
import { buildNet, maxFunctionGap, randomLambda, relErr, smallNets, tinyNets } from '../../support/path-helpers.js';

describe('init/pathlift: neuron-wise rescaling T_λ', () => {
  it('preserves the network function, Φ and every path-norm; the inverse restores θ', () => {
    fc.assert(
      fc.property(smallNets, fc.integer({ min: 0, max: 1e6 }), (spec, ls) => {
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
      fc.property(tinyNets, fc.integer({ min: 0, max: 1e6 }), (spec, ls) => {
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
