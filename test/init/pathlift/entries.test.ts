// Registry entries pathcond_after_he and enorm_after_he (network kind).
import { expect } from 'chai';
import { DomainError, ShapeError } from '../../../src/core/errors.js';
import { enormRescale, parseENormOptions } from '../../../src/init/pathlift/enorm.js';
import { heNormalMlp, parseENormAfterHeOptions, parsePathCondAfterHeOptions } from '../../../src/init/pathlift/entries.js';
import type { DenseLayer } from '../../../src/init/support/mlp.js';
import { parsePathCondOptions, pathCondRescale } from '../../../src/init/pathlift/pathcond.js';
import { type InitOptions, getInitializer, initializeNetwork, listInitializers } from '../../../src/init/index.js';
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

describe('init/pathlift: typed option parsers of the entries (options parsed once, before any draw)', () => {
  it('defaults', () => {
    expect(parsePathCondAfterHeOptions(undefined)).to.deep.equal({
      bias: 'zeros', dtype: 'float32', pathcond: { maxSweeps: 10, tol: 1e-2, eps: 0, zClamp: 60, recordUpdates: false },
    });
    expect(parseENormAfterHeOptions({ variant: 'reference-code', bias: 'none', dtype: 'float64' })).to.deep.equal({
      bias: 'none', dtype: 'float64', enorm: { cycles: 1, variant: 'reference-code', asymmetry: 1, tol: 0 },
    });
  });

  const bad: [string, InitOptions, RegExp][] = [
    ['pathcond_after_he', { maxSweeps: -1 }, /^options\.maxSweeps must be a non-negative integer, got -1$/],
    ['pathcond_after_he', { maxSweeps: 1.5 }, /^options\.maxSweeps must be a non-negative integer, got 1\.5$/],
    ['pathcond_after_he', { tol: -1 }, /^options\.tol must be in \[0, Infinity\), got -1$/],
    ['pathcond_after_he', { eps: 'small' }, /^options\.eps must be a finite number, got "small"$/],
    ['pathcond_after_he', { zClamp: 0 }, /^options\.zClamp must be in \(0, 170\], got 0$/],
    ['pathcond_after_he', { bias: 'random' }, /^options\.bias must be one of "zeros", "none", got "random"$/],
    ['pathcond_after_he', { dtype: 'int8' }, /^options\.dtype must be one of "float32", "float64", got "int8"$/],
    ['enorm_after_he', { cycles: 0.5 }, /^options\.cycles must be a non-negative integer, got 0\.5$/],
    ['enorm_after_he', { asymmetry: 0 }, /^options\.asymmetry must be in \(0, Infinity\), got 0$/],
    ['enorm_after_he', { tol: -1 }, /^options\.tol must be in \[0, Infinity\), got -1$/],
    ['enorm_after_he', { variant: 'facebook' }, /^options\.variant must be one of "function-preserving", "reference-code", got "facebook"$/],
    ['enorm_after_he', { bias: 1 }, /^options\.bias must be one of "zeros", "none", got 1$/],
  ];
  for (const [name, options, msg] of bad) {
    it(`${name} ${JSON.stringify(options)}: DomainError naming the key, the range and the value, before any draw`, () => {
      const rng = createRng(12);
      expect(() => initializeNetwork(name, shapes, rng, options)).to.throw(DomainError, msg);
      expect(rng.nextFloat64()).to.equal(createRng(12).nextFloat64()); // the generator was not touched
      const parse = name === 'pathcond_after_he' ? parsePathCondAfterHeOptions : parseENormAfterHeOptions;
      expect(() => parse(options)).to.throw(DomainError, msg);
    });
  }

  it('the public rescaling functions reject the same values with the same messages', () => {
    const he = heViaRegistry(5);
    expect(() => pathCondRescale(he, { zClamp: 0 })).to.throw(DomainError, /^options\.zClamp must be in \(0, 170\], got 0$/);
    expect(() => pathCondRescale(he, { recordUpdates: 'yes' as unknown as boolean })).to.throw(DomainError, /^options\.recordUpdates must be a boolean \(true or false\), got "yes"$/);
    expect(() => enormRescale(he, { cycles: -2 })).to.throw(DomainError, /^options\.cycles must be a non-negative integer, got -2$/);
    expect(parsePathCondOptions({ recordUpdates: true, maxSweeps: 0 })).to.deep.equal({ maxSweeps: 0, tol: 1e-2, eps: 0, zClamp: 60, recordUpdates: true });
    expect(parseENormOptions({ asymmetry: 1.2 })).to.deep.equal({ cycles: 1, variant: 'function-preserving', asymmetry: 1.2, tol: 0 });
  });

  it('the entries return plain layers (no forward scale)', () => {
    for (const name of ['pathcond_after_he', 'enorm_after_he']) {
      for (const l of initializeNetwork(name, shapes, createRng(6))) expect(l.scale).to.equal(undefined);
    }
  });

  it('heNormalMlp: float64 Kaiming-normal layers equal to kaiming_normal through the registry', () => {
    const he = heNormalMlp(shapes, createRng(33));
    const reg = heViaRegistry(33);
    he.forEach((l, i) => {
      expect(l.W).to.be.instanceOf(Float64Array);
      expect(Array.from(l.W)).to.deep.equal(Array.from(reg[i]!.W));
      expect(Array.from(l.b!)).to.deep.equal(new Array<number>(l.shape[0]!).fill(0));
    });
    expect(heNormalMlp(shapes, createRng(33), 'none').every((l) => l.b === undefined)).to.equal(true);
  });
});
