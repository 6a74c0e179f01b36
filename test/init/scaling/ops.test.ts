// Defazio & Bottou scaling calculus (docs/schemes/scaling.md): the typed parser of architectures (ops), also used
// for `context.extra.ops` of the `scaling_balanced` registry entry.
import { expect } from 'chai';
import { DomainError, ShapeError } from '../../../src/core/errors.js';
import { initializeNetwork } from '../../../src/init/index.js';
import { mlpOps, parseScalingOps, scalingReport, secondMoment, type ScalingOp } from '../../../src/init/scaling/index.js';
import { createRng } from '../../../src/init/support/rng.js';

describe('init/scaling: parseScalingOps', () => {
  it('fills the defaults of weight ops (mult 1, strides 1) and keeps the other ops as given', () => {
    const ops = parseScalingOps([
      { kind: 'conv2d', cIn: 3, cOut: 4, kH: 3, kW: 3, name: 'c' },
      { kind: 'relu' },
      { kind: 'maxpool', p: 2 },
      { kind: 'flatten' },
      { kind: 'dense', nIn: 4, nOut: 2, weightVar: 0.5 },
    ]);
    expect(ops).to.deep.equal([
      { kind: 'conv2d', cIn: 3, cOut: 4, kH: 3, kW: 3, sH: 1, sW: 1, mult: 1, name: 'c' },
      { kind: 'relu' },
      { kind: 'maxpool', p: 2 },
      { kind: 'flatten' },
      { kind: 'dense', nIn: 4, nOut: 2, mult: 1, weightVar: 0.5 },
    ]);
    expect(parseScalingOps(mlpOps([3, 5, 2]))).to.have.length(3);
  });

  it('typed errors naming the op as the caller wrote it', () => {
    expect(() => parseScalingOps('dense')).to.throw(DomainError, 'ops must be a non-empty array of ops, got "dense"');
    expect(() => parseScalingOps([null])).to.throw(DomainError, 'ops[0] must be an object, got null');
    expect(() => parseScalingOps([{ kind: 'dense', nIn: 4, nOut: '2' }], 'net')).to.throw(DomainError, 'net[0] ("dense").nOut must be a finite number, got "2"');
    expect(() => parseScalingOps([{ kind: 'dense', nIn: 4, nOut: 2, name: 3 }])).to.throw(DomainError, 'ops[0] ("dense").name must be a string, got 3');
    expect(() => parseScalingOps([{ kind: 'scale', beta: 0 }])).to.throw(DomainError, 'ops[0] ("scale").beta must be non-zero, got 0');
    expect(() => parseScalingOps([{ kind: 'conv2d', cIn: 1, cOut: 1, kH: 1, kW: 1, sH: 0 }])).to.throw(DomainError, /ops\[0\] \("conv2d"\)\.sH must be a positive integer, got 0/);
    expect(() => parseScalingOps([{ kind: 'dense', nIn: 4, nOut: 2, weightvar: 1 }], 'ops', 'f')).to.throw(
      DomainError,
      'unknown option ops[0].weightvar for f (did you mean weightVar?)',
    );
    expect(() => parseScalingOps([{ kind: 'toString' }])).to.throw(DomainError, /^unsupported op "toString" at ops\[0\]/);
    // the report still says which op failed when it is called with untyped data
    expect(() => scalingReport([{ kind: 'maxpool', p: 1.5 } as ScalingOp], { inputShape: [1, 4, 4] })).to.throw(DomainError, /ops\[0\] \("maxpool"\)\.p/);
  });
});

describe('init/scaling: scaling_balanced reads context.extra.ops and inputShape through the typed parsers', () => {
  const shapes = [
    [4, 2, 3, 3],
    [3, 4 * 4 * 4],
  ];
  const ops: ScalingOp[] = [{ kind: 'conv2d', cIn: 2, cOut: 4, kH: 3, kW: 3 }, { kind: 'relu' }, { kind: 'flatten' }, { kind: 'dense', nIn: 64, nOut: 3 }];
  const run = (extra: { readonly [key: string]: unknown }) => () => initializeNetwork('scaling_balanced', shapes, createRng(4), { dtype: 'float64' }, { extra });

  it('a convnet given by context.extra.ops is balanced', () => {
    const layers = run({ ops, inputShape: [2, 4, 4] })();
    const vars = layers.map((l) => secondMoment(l.W));
    const r = scalingReport(
      ops.map((op, i) => (op.kind === 'conv2d' ? { ...op, weightVar: vars[0]! } : i === 3 && op.kind === 'dense' ? { ...op, weightVar: vars[1]! } : op)),
      { inputShape: [2, 4, 4], scheme: 'given' },
    );
    expect(r.gammaRatio).to.be.at.most(1 + 1e-9);
  });

  it('bad architectures are typed errors naming context.extra, not TypeErrors', () => {
    expect(run({ ops: 'conv', inputShape: [2, 4, 4] })).to.throw(DomainError, 'context.extra.ops must be a non-empty array of ops, got "conv"');
    expect(run({ ops: [{ kind: 'dense', nIn: 4 }], inputShape: [4] })).to.throw(DomainError, /^context\.extra\.ops\[0\] \("dense"\)\.nOut is required/);
    expect(run({ ops: [{ kind: 'dense', nIn: 4, nOut: 2, stride: 1 }], inputShape: [4] })).to.throw(
      DomainError,
      /^unknown option context\.extra\.ops\[0\]\.stride for scaling_balanced/,
    );
    expect(run({ ops })).to.throw(ShapeError, 'context.extra.inputShape must be [n] or [C, H, W], got undefined');
    expect(run({ ops, inputShape: [2, 0, 4] })).to.throw(DomainError, /^context\.extra\.inputShape\[1\] must be a positive integer, got 0/);
  });
});
