// LPS-R option parsing (docs/schemes/lps.md): options parsed once into resolved records, typed errors naming
// options.<key>, the allowed range and the value, raised before any draw.
import { expect } from 'chai';
import { DomainError } from '../../../src/core/errors.js';
import { type InitOptions, initializeNetwork } from '../../../src/init/index.js';
import { lpsConv2d } from '../../../src/init/lps/conv2d.js';
import { lpsDense } from '../../../src/init/lps/dense.js';
import { lpsInitMLP } from '../../../src/init/lps/network.js';
import { parseLpsConv2dOptions, parseLpsEntryOptions, parseLpsMlpOptions, parseLpsOptions } from '../../../src/init/lps/options.js';
import { createRng } from '../../../src/init/support/rng.js';
import { randomBatch } from './lps-helpers.js';

describe('init/lps: option parsers', () => {
  it('defaults: kMax follows the mode (null = no bound faithful, 256 plus); the entries fix the mode', () => {
    expect(parseLpsOptions(undefined)).to.deep.equal({ mode: 'faithful', kMax: null, q: 1, anchorTol: 1e-8, dtype: 'float32' });
    expect(parseLpsMlpOptions({ mode: 'plus' })).to.deep.equal({ mode: 'plus', kMax: 256, q: 1, anchorTol: 1e-8, dtype: 'float32', allowSmallBatch: false });
    expect(parseLpsConv2dOptions({ stride: [2, 1], pad: 1 })).to.deep.include({ stride: [2, 1], pad: [1, 1], maxPatches: 20000 });
    expect(parseLpsEntryOptions('lps_r_plus', 'plus', {}).kMax).to.equal(256);
    expect(parseLpsEntryOptions('lps_r_plus', 'plus', { mode: 'plus', kMax: Infinity }).kMax).to.equal(null); // resolved: no bound
    expect(() => parseLpsEntryOptions('lps_r_plus', 'plus', { mode: 'faithful' })).to.throw(DomainError, /^options\.mode is fixed by the entry \(lps_r_plus: "plus"\); got "faithful"$/);
  });

  const bad: [InitOptions, RegExp][] = [
    [{ mode: 'exact' }, /^options\.mode must be one of "faithful", "plus", got "exact"$/],
    [{ kMax: 0 }, /^options\.kMax must be a positive integer or Infinity, got 0$/],
    [{ kMax: 2.5 }, /^options\.kMax must be a positive integer or Infinity, got 2\.5$/],
    [{ q: 0 }, /^options\.q must be in \(0, Infinity\), got 0$/],
    [{ anchorTol: 1 }, /^options\.anchorTol must be in \(0, 1\), got 1$/],
    [{ dtype: 'int8' }, /^options\.dtype must be one of "float32", "float64", got "int8"$/],
    [{ allowSmallBatch: 'yes' }, /^options\.allowSmallBatch must be a boolean \(true or false\), got "yes"$/],
  ];
  const X = randomBatch(createRng(3), 30, 4);
  for (const [options, msg] of bad) {
    it(`${JSON.stringify(options)}: DomainError naming the key, the range and the value, before any draw`, () => {
      const rng = createRng(21);
      expect(() => lpsInitMLP([4, 6, 2], X, rng, options)).to.throw(DomainError, msg);
      // the entries fix the mode: any other mode is "fixed by the entry" (tested above)
      const entryMsg = 'mode' in options ? /^options\.mode is fixed by the entry/ : msg;
      expect(() => initializeNetwork('lps_r', [[6, 4], [2, 6]], rng, options, { data: { x: X.data as Float64Array, shape: [30, 4] } })).to.throw(DomainError, entryMsg);
      expect(rng.nextFloat64()).to.equal(createRng(21).nextFloat64()); // the generator was not touched
      if (!('allowSmallBatch' in options)) expect(() => lpsDense(X, 3, rng, options)).to.throw(DomainError, msg);
    });
  }

  it('conv geometry out of range: DomainError naming options.stride / pad / maxPatches and the value', () => {
    const img = { data: new Float64Array(2 * 1 * 4 * 4).fill(1), shape: [2, 1, 4, 4] as const };
    const conv = (o: InitOptions) => () => lpsConv2d(img, 2, 3, 3, createRng(1), o);
    expect(conv({ stride: 0 })).to.throw(DomainError, /^options\.stride must be a positive integer, got 0$/);
    expect(conv({ stride: [1, 0] })).to.throw(DomainError, /^options\.stride\[1\] must be a positive integer, got 0$/);
    expect(conv({ stride: [1, 2, 3] })).to.throw(DomainError, /^options\.stride must be an integer >= 1 or a pair of them, got \[1, 2, 3\]$/);
    expect(conv({ pad: -1 })).to.throw(DomainError, /^options\.pad must be a non-negative integer, got -1$/);
    expect(conv({ pad: [0, 0.5] })).to.throw(DomainError, /^options\.pad\[1\] must be a non-negative integer, got 0\.5$/);
    expect(conv({ maxPatches: 0 })).to.throw(DomainError, /^options\.maxPatches must be a positive integer, got 0$/);
  });

  it('LPS-R produces plain layers (no forward scale), through lpsInitMLP and the entries', () => {
    for (const l of lpsInitMLP([4, 6, 5, 2], X, createRng(2)).mlp) expect(l.scale).to.equal(undefined);
    for (const name of ['lps_r', 'lps_r_plus']) {
      for (const l of initializeNetwork(name, [[6, 4], [2, 6]], createRng(2), {}, { data: { x: X.data as Float64Array, shape: [30, 4] } })) {
        expect(l.scale).to.equal(undefined);
      }
    }
  });
});
