/**
 * `stateDict` / `loadStateDict` of SGD, Adam and AdamW: an optimizer restored from another's state continues exactly
 * as the original would (same parameters after more steps, bit for bit); a state of another optimizer, other
 * hyperparameters or other parameters is a DomainError that leaves the optimizer unchanged.
 */
import { expect } from 'chai';
import { DomainError } from '../../../src/core/index.js';
import { Adam, AdamW, SGD, type OptimizerStateDict } from '../../../src/nn/index.js';
import { tensor, type Tensor } from '../../../src/tensor/index.js';
import { type Quadratic, quadraticLoss } from './quadratic.js';

const Q: Quadratic = { a: [1.5, 0.5, 2.0, 0.25], c: [-0.3, 0.7, 0.1, -1.2] };
const THETA0 = [0.8, -0.4, 1.1, 0.05];

const param = (v: readonly number[], dtype: 'float32' | 'float64'): Tensor => tensor(v.slice(), [v.length], { dtype, requiresGrad: true });

function run(opt: { zeroGrad(): void; step(): void }, p: Tensor, steps: number): void {
  for (let t = 0; t < steps; t++) {
    opt.zeroGrad();
    quadraticLoss(p, Q).backward();
    opt.step();
  }
}

type Make = (p: Tensor) => SGD | Adam | AdamW;
const makers: [string, Make][] = [
  ['SGD with Nesterov momentum and decay', (p) => new SGD([{ name: 'w', tensor: p }], { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
  ['Adam with AMSGrad', (p) => new Adam([{ name: 'w', tensor: p }], { lr: 0.05, amsgrad: true })],
  ['AdamW', (p) => new AdamW([{ name: 'w', tensor: p }], { lr: 0.05 })],
];

describe('nn/optim: stateDict and loadStateDict', () => {
  for (const [label, make] of makers) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`${label} (${dtype}): restored from a state dict, continues bit-exactly`, () => {
        const p = param(THETA0, dtype);
        const opt = make(p);
        run(opt, p, 3);
        const saved = opt.stateDict();
        const savedTheta = Array.from(p.dense());
        run(opt, p, 4);
        // A fresh optimizer over a copy of the parameters at step 3, given the state.
        const q = param(savedTheta, dtype);
        const opt2 = make(q);
        opt2.loadStateDict(saved);
        run(opt2, q, 4);
        expect(Array.from(q.dense())).to.deep.equal(Array.from(p.dense()));
        // Without the state the continuation differs (the test can fail).
        const r = param(savedTheta, dtype);
        run(make(r), r, 4);
        expect(Array.from(r.dense())).to.not.deep.equal(Array.from(p.dense()));
      });
    }
  }

  it('the state dict is a copy: later steps do not change it; the learning rate is restored', () => {
    const p = param(THETA0, 'float64');
    const opt = new SGD([{ name: 'w', tensor: p }], { lr: 0.1, momentum: 0.9 });
    run(opt, p, 2);
    const sd = opt.stateDict();
    const buf = Array.from(sd.state['w']!.buffers['momentumBuffer']!);
    run(opt, p, 2);
    expect(Array.from(sd.state['w']!.buffers['momentumBuffer']!)).to.deep.equal(buf);
    expect(sd.groups).to.deep.equal([{ name: '0', hyper: { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false }, params: ['w'] }]);
    const other = new SGD([{ name: 'w', tensor: param(THETA0, 'float64') }], { lr: 0.5, momentum: 0.9 });
    other.loadStateDict(sd);
    expect(other.getLr(0)).to.equal(0.1);
  });

  it('rejects a state that does not fit, naming the entry, and stays unchanged', () => {
    const p = param(THETA0, 'float32');
    const adam = new Adam([{ name: 'w', tensor: p }], { lr: 0.05 });
    run(adam, p, 2);
    const sd = adam.stateDict();
    const fresh = (): Adam => new Adam([{ name: 'w', tensor: param(THETA0, 'float32') }], { lr: 0.05 });
    const w = sd.state['w']!;
    const cases: [OptimizerStateDict, string][] = [
      [{ ...sd, optimizer: 'SGD' }, 'state.optimizer must be "Adam" (this optimizer), got "SGD"'],
      [{ ...sd, groups: [{ ...sd.groups[0]!, hyper: { ...sd.groups[0]!.hyper, eps: 1e-6 } }] }, 'state.groups[0].hyper.eps is 0.000001, this optimizer has 1e-8'],
      [{ ...sd, groups: [{ ...sd.groups[0]!, params: ['v'] }] }, 'state.groups[0].params must be [w] (this group\'s parameters), got ["v"]'],
      [{ ...sd, state: { v: w } }, 'state.state has an entry for "v", which is not a parameter of this optimizer'],
      [{ ...sd, state: { w: { ...w, buffers: { ...w.buffers, expAvg: new Float32Array(3) } } } }, 'state.state["w"].buffers.expAvg must be a Float32Array of 4 values (the parameter\'s dtype and size), got Float32Array(3)'],
      [{ ...sd, state: { w: { ...w, buffers: { ...w.buffers, expAvg: new Float64Array(4) } } } }, 'must be a Float32Array of 4 values'],
      [{ ...sd, state: { w: { ...w, scalars: { step: -1 } } } }, 'state.state["w"].scalars.step must be an integer ≥ 0, got -1'],
    ];
    for (const [bad, message] of cases) {
      const opt = fresh();
      run(opt, opt.params()[0]!.tensor, 1);
      const before = opt.stateDict();
      expect(() => opt.loadStateDict(bad), message).to.throw(DomainError, message);
      expect(opt.stateDict()).to.deep.equal(before);
    }
  });
});
