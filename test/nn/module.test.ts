import { expect } from 'chai';
import { DomainError } from '../../src/core/errors.js';
import { Linear, Module, ReLU, RReLU, Sequential, mlp } from '../../src/nn/index.js';
import { type Tensor, tensor } from '../../src/tensor/index.js';

/** What the fit loop expects of a model (structural): Module must be assignable to it. */
interface Trainable {
  forward(x: Tensor): Tensor;
  namedParameters(): readonly (readonly [string, Tensor])[];
  parameters(): Tensor[];
  train(on?: boolean): unknown;
  eval(): unknown;
}

class TwoParams extends Module {
  readonly a: Tensor;
  constructor() {
    super();
    this.a = this.registerParameter('a', tensor([1, 2], [2], { requiresGrad: true }));
    this.registerModule('inner', new Linear(2, 2, { seed: 1 }));
  }
  forward(x: Tensor): Tensor {
    return x.mul(this.a);
  }
  tryRegister(name: unknown, what: unknown): void {
    this.registerParameter(name as string, what as Tensor);
  }
}

describe('nn: Module', () => {
  it('satisfies the fit loop interface', () => {
    const m: Trainable = mlp({ widths: [3, 4, 2], seed: 1 });
    expect(m.parameters()).to.have.length(4);
  });

  it('names parameters with dots, depth first (own, then children in order)', () => {
    const net = new Sequential(new Linear(3, 4, { seed: 1 }), new ReLU(), new Linear(4, 2, { seed: 2, bias: false }));
    expect(net.namedParameters().map(([n]) => n)).to.deep.equal(['0.weight', '0.bias', '2.weight']);
    expect(net.parameters()[0]).to.equal((net.at(0) as Linear).weight);
    expect(new TwoParams().namedParameters().map(([n]) => n)).to.deep.equal(['a', 'inner.weight', 'inner.bias']);
    expect(net.children()).to.have.length(3);
    expect(net.namedChildren().map(([n]) => n)).to.deep.equal(['0', '1', '2']);
  });

  it('lists a shared parameter once', () => {
    const lin = new Linear(2, 2, { seed: 3 });
    expect(new Sequential(lin, lin).namedParameters().map(([n]) => n)).to.deep.equal(['0.weight', '0.bias']);
  });

  it('train() / eval() switch the whole tree and return the module', () => {
    const r = new RReLU(0.1, 0.3, { seed: 1 });
    const net = new Sequential(new Linear(2, 2, { seed: 1 }), new Sequential(r));
    expect(net.training && r.training).to.equal(true);
    expect(net.eval()).to.equal(net);
    expect(net.training || r.training).to.equal(false);
    net.train();
    expect(r.training).to.equal(true);
    net.train(false);
    expect(r.training).to.equal(false);
    expect(() => net.train('yes' as unknown as boolean)).to.throw(DomainError, /on must be a boolean/);
  });

  it('rejects bad registrations with DomainErrors', () => {
    const m = new TwoParams();
    expect(() => m.tryRegister('a', tensor([1]))).to.throw(DomainError, /already registered/);
    expect(() => m.tryRegister('x.y', tensor([1]))).to.throw(DomainError, /no dot/);
    expect(() => m.tryRegister('b', [1])).to.throw(DomainError, /must be a Tensor/);
    const x = tensor([1, 2], [2], { requiresGrad: true });
    expect(() => m.tryRegister('c', x.mul(2))).to.throw(DomainError, /leaf/);
    expect(() => new Sequential(3 as unknown as Module)).to.throw(DomainError, /argument 0 must be a Module/);
    expect(() => new Sequential()).to.throw(DomainError, /at least one/);
  });
});
