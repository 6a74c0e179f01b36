/**
 * The Optimizer base class at its subclass-facing boundary: the name, option keys and hyperparameter parser a subclass
 * (or a JS caller constructing it directly) passes are checked before anything else, with DomainErrors naming them.
 */
import { expect } from 'chai';
import { DomainError } from '../../../src/core/index.js';
import { nonNegativeParam } from '../../../src/init/index.js';
import { Optimizer, type HyperParser, SGD } from '../../../src/nn/index.js';
import { tensor } from '../../../src/tensor/index.js';

interface Hyper {
  readonly lr: number;
}

const parseLr: HyperParser<Hyper> = (o, dflt) => ({ lr: nonNegativeParam('lr', o['lr'], dflt?.lr ?? 0.01) });

/** A plain-SGD subclass that forwards whatever it is given to the base constructor. */
class Plain extends Optimizer<Hyper, null> {
  constructor(fn: unknown, params: unknown, options: unknown, keys: unknown, parse: unknown) {
    super(fn as string, params, options, keys as readonly string[], parse as HyperParser<Hyper>);
  }

  protected update(data: Float32Array | Float64Array, offset: number, n: number, grad: Float32Array | Float64Array, group: Hyper): void {
    for (let i = 0; i < n; i++) data[offset + i] = data[offset + i]! - group.lr * grad[i]!;
  }
}

const param = () => tensor([1, 2], undefined, { requiresGrad: true });

describe('nn/optim: the Optimizer base constructor', () => {
  it('fn must be a non-empty string, keys an array of strings, parse a function', () => {
    expect(() => new Plain(2.5, [param()], undefined, ['lr'], parseLr)).to.throw(DomainError, /^Optimizer: fn must be a non-empty string \(the optimizer's name\), got 2\.5$/);
    expect(() => new Plain('', [param()], undefined, ['lr'], parseLr)).to.throw(DomainError, /^Optimizer: fn must be a non-empty string.* got ""$/);
    expect(() => new Plain('Plain', [param()], undefined, null, parseLr)).to.throw(DomainError, /^Plain: keys must be an array of option names \(strings\), got null$/);
    expect(() => new Plain('Plain', [param()], undefined, [1], parseLr)).to.throw(DomainError, /^Plain: keys must be .* got \[1\]$/);
    expect(() => new Plain('Plain', [param()], undefined, ['lr'], [])).to.throw(DomainError, /^Plain: parse must be a function \(the hyperparameter parser\), got \[\]$/);
    // The junk the robustness suite found: a parse of [] and keys of 0 used to reach checkedOptions as a TypeError.
    expect(() => Reflect.construct(Optimizer, [[1], { foo: 1 }])).to.throw(DomainError, /fn must be a non-empty string/);
  });

  it('parse must give each record a finite lr ≥ 0', () => {
    expect(() => new Plain('Plain', [param()], undefined, ['lr'], () => 1)).to.throw(
      DomainError,
      /^Plain: parse must return a record with lr a finite number ≥ 0 for options, got 1$/,
    );
    expect(() => new Plain('Plain', [param()], undefined, ['lr'], () => ({ lr: NaN }))).to.throw(DomainError, /for options, got object with lr = NaN$/);
    const perGroup: HyperParser<Hyper> = (o, dflt) => (dflt === undefined ? { lr: 0.1 } : { lr: -1 });
    expect(() => new Plain('Plain', [{ params: [param()] }], undefined, ['lr'], perGroup)).to.throw(DomainError, /for groups\[0\], got object with lr = -1$/);
  });

  it('valid arguments build a working optimizer, and the built-in ones are unchanged', () => {
    const p = param();
    const opt = new Plain('Plain', [p], { lr: 0.5 }, ['lr'], parseLr);
    expect(opt.defaults.lr).to.equal(0.5);
    p.grad = tensor([2, 4]);
    opt.step();
    expect(p.toArray()).to.deep.equal([0, 0]);
    expect(() => new Plain('Plain', [p], { lr: -1 }, ['lr'], parseLr)).to.throw(DomainError, /^lr must be in \[0, Infinity\), got -1$/);
    expect(new SGD([param()], { lr: 0.1 }).getLr(0)).to.equal(0.1);
  });
});
