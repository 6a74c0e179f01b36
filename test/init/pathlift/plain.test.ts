// Path-lifting input checks: malformed networks, bad λ / z, and layers with a forward scale (docs/schemes/pathlift.md).
import { expect } from 'chai';
import { DomainError, NonFiniteError, ShapeError } from '../../../src/core/errors.js';
import { type DenseLayer, mlpForward, mlpForwardBatch, validateMlp } from '../../../src/init/support/mlp.js';
import { flattenParams, pathLiftingDiagG } from '../../../src/init/pathlift/diag-g.js';
import { enormCost, enormRescale } from '../../../src/init/pathlift/enorm.js';
import { countPaths, enumeratePaths, pathNorm, pathNormPow } from '../../../src/init/pathlift/paths.js';
import { pathCondObjective, pathCondRescale } from '../../../src/init/pathlift/pathcond.js';
import {
  applyLogRescaling,
  applyNeuronRescaling,
  invertNeuronRescaling,
  rescalingExponents,
} from '../../../src/init/pathlift/rescaling.js';
import { createRng } from '../../../src/init/support/rng.js';
import { buildNet, forwardRef } from '../../support/path-helpers.js';

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

/** `v` with the `scale` field of every layer object {W, shape, …} removed (typed arrays and numbers unchanged). */
function withoutScale(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutScale);
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (!(k === 'scale' && 'W' in v && 'shape' in v)) out[k] = withoutScale(x);
  return out;
}

describe('init/pathlift: layers with a forward scale are rejected, never mis-handled', () => {
  const plain = (): DenseLayer[] => buildNet({ widths: [3, 4, 2], hiddenBias: true, outputBias: true, seed: 7, logScales: [0, 0] });
  const scaled = (): DenseLayer[] => {
    const net = plain();
    return [net[0]!, { ...net[1]!, scale: 0.5 }];
  };
  const z = [new Float64Array(4)];
  const lambda = [Float64Array.from([1, 2, 0.5, 3])];
  const calls: [string, (net: DenseLayer[]) => unknown][] = [
    ['countPaths', (net) => countPaths(net)],
    ['enumeratePaths', (net) => enumeratePaths(net)],
    ['pathNormPow', (net) => pathNormPow(net, 1)],
    ['pathNorm', (net) => pathNorm(net)],
    ['pathLiftingDiagG', (net) => pathLiftingDiagG(net)],
    ['flattenParams', (net) => flattenParams(net)],
    ['applyNeuronRescaling', (net) => applyNeuronRescaling(net, lambda)],
    ['invertNeuronRescaling', (net) => invertNeuronRescaling(net, lambda)],
    ['applyLogRescaling', (net) => applyLogRescaling(net, z)],
    ['rescalingExponents', (net) => rescalingExponents(net, z)],
    ['pathCondObjective', (net) => pathCondObjective(net, z)],
    ['pathCondRescale', (net) => pathCondRescale(net)],
    ['enormCost', (net) => enormCost(net)],
    ['enormRescale', (net) => enormRescale(net)],
  ];

  for (const [name, call] of calls) {
    it(`${name}: DomainError naming the layer and saying why; scale 1 is the plain layer`, () => {
      expect(() => call(scaled())).to.throw(DomainError, /^mlp\[1\]\.scale must be 1 or absent for path-lifting, got 0\.5: .*plain dense layers y = W x \+ b/);
      const net = plain();
      const one = call([net[0]!, { ...net[1]!, scale: 1 }]);
      expect(withoutScale(one)).to.deep.equal(call(net));
      const layers = (one as { mlp?: DenseLayer[] }).mlp ?? (Array.isArray(one) ? (one as DenseLayer[]) : undefined);
      if (layers) expect(layers[1]!.scale).to.equal(1); // returned networks keep the field as given
    });
  }

  it('folding the scale into W (as the message says) keeps the function; PathCond then preserves it', () => {
    const s = scaled();
    const folded: DenseLayer[] = s.map((l) => ({ W: Float64Array.from(l.W, (w) => (l.scale ?? 1) * w), ...(l.b ? { b: l.b } : {}), shape: l.shape }));
    const rescaled = pathCondRescale(folded, { maxSweeps: 50, tol: 1e-12 }).mlp;
    const rng = createRng(4);
    for (let t = 0; t < 10; t++) {
      const x = [rng.nextNormal(), rng.nextNormal(), rng.nextNormal()];
      const want = mlpForward(s, x);
      const a = mlpForward(folded, x);
      const b = mlpForward(rescaled, x);
      for (let k = 0; k < 2; k++) {
        expect(a[k]!).to.be.closeTo(want[k]!, 1e-12 * (1 + Math.abs(want[k]!)));
        expect(b[k]!).to.be.closeTo(want[k]!, 1e-12 * (1 + Math.abs(want[k]!)));
      }
    }
  });
});
