// Registry entries pathcond_after_he and enorm_after_he (network kind).
import { expect } from 'chai';
import { DomainError, ShapeError } from '../../../src/core/errors.js';
import { enormRescale } from '../../../src/init/pathlift/enorm.js';
import type { DenseLayer } from '../../../src/init/support/mlp.js';
import { pathCondRescale } from '../../../src/init/pathlift/pathcond.js';
import { getInitializer, initializeNetwork, listInitializers } from '../../../src/init/index.js';
import { createRng } from '../../../src/init/support/rng.js';
import { maxFunctionGap } from '../../support/path-helpers.js';

const shapes = [[16, 5], [12, 16], [9, 12], [3, 9]];

/** He network through the registry's own tensor entry (kaiming_normal, zero biases). */
function heViaRegistry(seed: number): DenseLayer[] {
  return initializeNetwork('kaiming_normal', shapes, createRng(seed), { dtype: 'float64' }).map((l) => ({
    shape: [...l.shape],
    W: Float64Array.from(l.W),
    b: Float64Array.from(l.b!),
  }));
}
const asMlp = (layers: ReturnType<typeof initializeNetwork>): DenseLayer[] =>
  layers.map((l) => ({ shape: [l.shape[0]!, l.shape[1]!], W: l.W, ...(l.b ? { b: l.b } : {}) }));

describe('init/registry: pathcond_after_he and enorm_after_he', () => {
  it('are registered as network entries with honest descriptions', () => {
    const names = listInitializers({ kind: 'network' }).map((e) => e.name);
    expect(names).to.include.members(['pathcond_after_he', 'enorm_after_he']);
    const pc = getInitializer('pathcond_after_he');
    expect(pc.provenance).to.equal('authors-code');
    expect(pc.description).to.contain("PathCond objective as implemented in the authors' code");
    expect(getInitializer('enorm_after_he').description).to.contain('reference-code-compatible variant');
    expect(getInitializer('pathcond-after-he')).to.equal(pc);
  });

  it('pathcond_after_he = PathCond(kaiming_normal network with zero biases), same draws, same function', () => {
    const he = heViaRegistry(31);
    const got = asMlp(initializeNetwork('pathcond_after_he', shapes, createRng(31), { dtype: 'float64' }));
    const want = pathCondRescale(he).mlp;
    got.forEach((l, i) => {
      expect(Array.from(l.W)).to.deep.equal(Array.from(want[i]!.W));
      expect(Array.from(l.b!)).to.deep.equal(Array.from(want[i]!.b!));
    });
    expect(maxFunctionGap(he, got, createRng(2), 20)).to.be.at.most(1e-12);
    const f32 = initializeNetwork('pathcond_after_he', shapes, createRng(31), { maxSweeps: 50, tol: 1e-8 });
    expect(f32[0]!.W).to.be.instanceOf(Float32Array);
    const noBias = initializeNetwork('pathcond_after_he', shapes, createRng(31), { bias: 'none', dtype: 'float64' });
    expect(noBias.every((l) => l.b === undefined)).to.equal(true);
  });

  it('enorm_after_he = ENorm(kaiming_normal network), options passed through', () => {
    const he = heViaRegistry(32);
    const got = asMlp(initializeNetwork('enorm_after_he', shapes, createRng(32), { dtype: 'float64', cycles: 5, asymmetry: 1.2 }));
    const want = enormRescale(he, { cycles: 5, asymmetry: 1.2 }).mlp;
    got.forEach((l, i) => expect(Array.from(l.W)).to.deep.equal(Array.from(want[i]!.W)));
    expect(maxFunctionGap(he, got, createRng(3), 20)).to.be.at.most(1e-12);
    const ref = asMlp(initializeNetwork('enorm_after_he', shapes, createRng(32), { dtype: 'float64', variant: 'reference-code' }));
    const wantRef = enormRescale(he, { variant: 'reference-code' }).mlp;
    ref.forEach((l, i) => expect(Array.from(l.W)).to.deep.equal(Array.from(wantRef[i]!.W)));
  });

  it('bad input: broken chains, non-dense shapes, bad options', () => {
    expect(() => initializeNetwork('pathcond_after_he', [[4, 3], [2, 5]], createRng(1))).to.throw(ShapeError, /shapes\[1\]\[1\] \(in\) must equal shapes\[0\]\[0\] = 4/);
    expect(() => initializeNetwork('enorm_after_he', [[4, 3, 3, 3], [2, 4]], createRng(1))).to.throw(ShapeError, /shapes\[0\] must be a dense weight shape/);
    expect(() => initializeNetwork('pathcond_after_he', [[4, 3], [2, 4]], createRng(1), { bias: 'random' })).to.throw(DomainError, /options\.bias/);
    expect(() => initializeNetwork('pathcond_after_he', [[4, 3], [2, 4]], createRng(1), { tol: -1 })).to.throw(DomainError, /options\.tol/);
    expect(() => initializeNetwork('enorm_after_he', [[4, 3], [2, 4]], createRng(1), { cycles: 0.5 })).to.throw(DomainError, /options\.cycles/);
    expect(() => initializeNetwork('enorm_after_he', [[4, 3], [2, 4]], createRng(1), { dtype: 'int8' })).to.throw(DomainError, /dtype/);
  });
});
