// src/core/options.ts: the options-record and parameter parsers every layer shares (src/init re-exports them).
import { expect } from 'chai';
import fc from 'fast-check';
import { DomainError, NonFiniteError } from '../../src/core/errors.js';
import { booleanParam, checkedOptions, finiteParam, optionKeys, optionsRecord } from '../../src/core/options.js';
import * as initOptions from '../../src/init/support/options.js';

describe('core/options', () => {
  it('src/init re-uses the core parsers (one implementation, same functions)', () => {
    expect(initOptions.checkedOptions).to.equal(checkedOptions);
    expect(initOptions.optionsRecord).to.equal(optionsRecord);
    expect(initOptions.optionKeys).to.equal(optionKeys);
    expect(initOptions.finiteParam).to.equal(finiteParam);
    expect(initOptions.booleanParam).to.equal(booleanParam);
  });

  it('optionsRecord: undefined is {}; null, arrays and scalars are DomainErrors naming the argument', () => {
    expect(optionsRecord(undefined)).to.deep.equal({});
    const rec = { a: 1 };
    expect(optionsRecord(rec, 'opts')).to.equal(rec);
    expect(() => optionsRecord(null, 'opts')).to.throw(DomainError, /^opts must be an object, got null$/);
    expect(() => optionsRecord([1], 'opts')).to.throw(DomainError, /^opts must be an object, got \[1\]$/);
    expect(() => optionsRecord('x')).to.throw(DomainError, /^options must be an object, got "x"$/);
  });

  it('checkedOptions: unknown keys name the key, the function and the allowed keys; undefined values are "not given"', () => {
    expect(() => checkedOptions('tensor', { dtyp: 'float64' }, ['dtype', 'requiresGrad'], 'opts')).to.throw(
      DomainError,
      /^unknown option opts\.dtyp for tensor \(did you mean dtype\?\); allowed: dtype, requiresGrad$/,
    );
    // A swap of two neighbouring letters is one edit, so it gets the hint too.
    expect(() => checkedOptions('linear', { rleu: true }, ['relu'])).to.throw(
      DomainError,
      /^unknown option options\.rleu for linear \(did you mean relu\?\); allowed: relu$/,
    );
    // A distant key gets no hint.
    expect(() => checkedOptions('linear', { activation: true }, ['relu'])).to.throw(DomainError, /^unknown option options\.activation for linear; allowed: relu$/);
    const rec = { dtype: 'float32', bogus: undefined };
    expect(checkedOptions('tensor', rec, ['dtype'])).to.equal(rec);
    expect(() => checkedOptions('f', null, ['a'], 'opts')).to.throw(DomainError, /^opts must be an object, got null$/);
  });

  it('checkedOptions: never throws anything but a DomainError, whatever the record (property)', () => {
    fc.assert(
      fc.property(fc.anything(), (opts) => {
        try {
          checkedOptions('f', opts, ['a', 'b']);
        } catch (e) {
          expect(e).to.be.instanceOf(DomainError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('optionKeys lists the keys of the interface', () => {
    expect(optionKeys<{ a?: number; b?: string }>({ a: true, b: true })).to.deep.equal(['a', 'b']);
  });

  it('finiteParam: non-numbers are DomainErrors, NaN / ±Inf NonFiniteErrors, undefined the default', () => {
    expect(finiteParam('step', undefined, 1)).to.equal(1);
    expect(finiteParam('step', -2.5)).to.equal(-2.5);
    expect(() => finiteParam('step', undefined)).to.throw(DomainError, /^step is required \(a finite number\)$/);
    const nullErr = (() => { try { finiteParam('step', null); } catch (e) { return e; } return undefined; })();
    expect(nullErr).to.be.instanceOf(DomainError).and.not.instanceOf(NonFiniteError);
    expect((nullErr as Error).message).to.equal('step must be a finite number, got null');
    expect(() => finiteParam('step', NaN)).to.throw(NonFiniteError, /^step must be a finite number, got NaN$/);
    expect(() => finiteParam('stop', -Infinity)).to.throw(NonFiniteError, /^stop must be a finite number, got -Infinity$/);
  });

  it('booleanParam: only true / false (no truthiness), undefined the default', () => {
    expect(booleanParam('keepdims', undefined, false)).to.equal(false);
    expect(booleanParam('keepdims', true, false)).to.equal(true);
    expect(() => booleanParam('keepdims', 1, false)).to.throw(DomainError, /^keepdims must be a boolean \(true or false\), got 1$/);
    expect(() => booleanParam('options.relu', 'yes')).to.throw(DomainError, /^options\.relu must be a boolean \(true or false\), got "yes"$/);
    expect(() => booleanParam('options.relu', null, false)).to.throw(DomainError, /got null$/);
  });
});
