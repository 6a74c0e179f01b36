// Path-lifting: Φ by enumeration, countPaths and the Lq path-norms (docs/schemes/pathlift.md).
import { expect } from 'chai';
import fc from 'fast-check';
import { DomainError } from '../../../src/core/errors.js';
import { type DenseLayer, mlpForward } from '../../../src/init/support/mlp.js';
import { pathLiftingDiagG } from '../../../src/init/pathlift/diag-g.js';
import { countPaths, enumeratePaths, pathNorm, pathNormPow } from '../../../src/init/pathlift/paths.js';
import { createRng } from '../../../src/init/support/rng.js';
import { buildNet, flatParams, pathsByIndex, relErr, tinyNets } from '../../support/path-helpers.js';

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
      fc.property(tinyNets, (spec) => {
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
      fc.property(tinyNets, fc.integer({ min: 0, max: 1e6 }), (spec, xs) => {
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
      fc.property(tinyNets, (spec) => {
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
