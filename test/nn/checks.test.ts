/**
 * src/nn at its public boundary (issue 11): malformed networks, batches, hooks and pre-activations are refused with
 * typed errors naming the argument, what is allowed and the value given, before any work; deadFraction of a rank-1
 * pre-activation is defined (one sample) instead of NaN.
 */
import { expect } from 'chai';
import { DomainError, DTypeError, NonFiniteError, ShapeError } from '../../src/core/errors.js';
import { createRng, heNormalMlp, type LayerTensors } from '../../src/init/index.js';
import { type Dense, deadFraction, denseFromInit, mlpForward, signalPropagation } from '../../src/nn/index.js';
import { tensor, zeros } from '../../src/tensor/index.js';

/** Arguments that break the declared types on purpose (the checks are for JavaScript callers). */
const junk = <T>(v: unknown): T => v as T;
const mlp = (): LayerTensors[] => heNormalMlp([[3, 2], [2, 3]], createRng(5));
const net = (): Dense[] => denseFromInit(mlp(), { dtype: 'float64' });
const batch = tensor([1, -2, 0.5, 3], [2, 2], { dtype: 'float64' });

describe('nn: typed errors at the public boundary', () => {
  describe('denseFromInit(layers, options)', () => {
    it('needs a non-empty array of dense layers (ShapeError naming the layer and field)', () => {
      expect(() => denseFromInit(junk(1.5))).to.throw(ShapeError, 'layers must be a non-empty array of layers {W, b?, shape: [out, in], scale?}, got 1.5');
      expect(() => denseFromInit(junk(null))).to.throw(ShapeError, 'got null');
      expect(() => denseFromInit([])).to.throw(ShapeError, 'layers must be a non-empty array');
      expect(() => denseFromInit(junk([null]))).to.throw(ShapeError, 'layers[0] must be a layer object {W, b?, shape: [out, in], scale?}, got null');
      expect(() => denseFromInit(junk([{ W: new Float64Array(4) }]))).to.throw(ShapeError, 'layers[0].shape must be a dense weight shape [out, in], got undefined');
      expect(() => denseFromInit(junk([{ shape: [2, 2] }]))).to.throw(ShapeError, 'layers[0].W must be a Float64Array or Float32Array, got undefined');
      const [l0, l1] = mlp() as [LayerTensors, LayerTensors];
      expect(() => denseFromInit([l0, { ...l1, shape: [2, 4] , W: new Float64Array(8) }])).to.throw(ShapeError, 'layers[1].shape[1] (in) must equal layers[0].shape[0] = 3');
    });

    it('rejects a conv shape [out, in, k, k] instead of building a wrong dense layer (ShapeError)', () => {
      expect(() => denseFromInit([{ W: new Float64Array(2 * 3 * 2 * 2), shape: [2, 3, 2, 2] }])).to.throw(ShapeError, 'layers[0].shape must be a dense weight shape [out, in], got [2, 3, 2, 2]');
    });

    it('rejects non-finite weights (NonFiniteError) and a non-positive scale (DomainError)', () => {
      const [l0] = mlp() as [LayerTensors];
      const W = Float64Array.from(l0.W);
      W[4] = Number.NaN;
      expect(() => denseFromInit([{ ...l0, W }])).to.throw(NonFiniteError, 'layers[0].W[2, 0] must be finite, got NaN');
      expect(() => denseFromInit([{ ...l0, scale: 0 }])).to.throw(DomainError, 'layers[0].scale must be a finite number > 0 (or absent), got 0');
    });

    it('checks options: an object with dtype float32/float64 and boolean requiresGrad, nothing else', () => {
      expect(() => denseFromInit(mlp(), junk(null))).to.throw(DomainError, 'options must be an object, got null');
      expect(() => denseFromInit(mlp(), junk({ dtype: 'int8' }))).to.throw(DTypeError, 'options.dtype must be one of "float32", "float64", got "int8"');
      expect(() => denseFromInit(mlp(), junk({ requiresGrad: 1 }))).to.throw(DomainError, 'options.requiresGrad must be a boolean (true or false), got 1');
      expect(() => denseFromInit(mlp(), junk({ dtyp: 'float64' }))).to.throw(DomainError, 'unknown option options.dtyp for denseFromInit (did you mean dtype?)');
      const d = denseFromInit(mlp(), { dtype: 'float64', requiresGrad: false });
      expect(d[0]?.W.dtype).to.equal('float64');
      expect(d[0]?.W.requiresGrad).to.equal(false);
    });
  });

  describe('mlpForward(layers, x, hooks)', () => {
    it('needs a non-empty chain of Dense layers (ShapeError / DTypeError / DomainError naming layers[l])', () => {
      expect(() => mlpForward(junk(2), batch)).to.throw(ShapeError, 'layers must be a non-empty array of Dense layers {W, b, scale} (see denseFromInit), got 2');
      expect(() => mlpForward([], batch)).to.throw(ShapeError, 'layers must be a non-empty array');
      expect(() => mlpForward(junk([undefined]), batch)).to.throw(ShapeError, 'layers[0] must be a Dense layer {W, b, scale}, got undefined');
      const [d0, d1] = net() as [Dense, Dense];
      expect(() => mlpForward(junk([{ ...d0, W: new Float32Array(6) }]), batch)).to.throw(DTypeError, 'layers[0].W must be a Tensor, got Float32Array(6)');
      expect(() => mlpForward([{ ...d0, W: zeros([6], { dtype: 'float64' }) }], batch)).to.throw(ShapeError, 'layers[0].W must be a 2-D Tensor [out, in], got shape [6]');
      expect(() => mlpForward(junk([{ ...d0, b: undefined }]), batch)).to.throw(DTypeError, 'layers[0].b (or null) must be a Tensor, got undefined');
      expect(() => mlpForward([{ ...d0, b: zeros([2], { dtype: 'float64' }) }], batch)).to.throw(ShapeError, 'layers[0].b must have shape [3] (W\'s out), got [2]');
      expect(() => mlpForward([{ ...d0, scale: Number.NaN }], batch)).to.throw(DomainError, 'layers[0].scale must be a finite number > 0, got NaN');
      expect(() => mlpForward([d0, d0], batch)).to.throw(ShapeError, 'layers[1].W.shape[1] (in) must equal layers[0].W.shape[0] = 3 (consecutive layers must chain), got 2');
      const f32 = denseFromInit(mlp(), { dtype: 'float32' })[1] as Dense;
      expect(() => mlpForward([d0, f32], batch)).to.throw(DTypeError, 'layers[1].W must have the dtype of layers[0].W, float64, got float32');
      expect(mlpForward([d0, d1], batch).shape).to.deep.equal([2, 2]);
    });

    it('needs x to be a Tensor [batch, in] of the layers\' dtype', () => {
      expect(() => mlpForward(net(), junk(new Uint32Array([4, 4])))).to.throw(DTypeError, 'x must be a Tensor, got Uint32Array(2)');
      expect(() => mlpForward(net(), tensor([1, 2], [2], { dtype: 'float64' }))).to.throw(ShapeError, 'x must have shape [batch, 2] (layers[0]\'s in), got [2]');
      expect(() => mlpForward(net(), tensor([1, 2, 3], [1, 3], { dtype: 'float64' }))).to.throw(ShapeError, 'got [1, 3]');
      expect(() => mlpForward(net(), tensor([1, 2], [1, 2]))).to.throw(DTypeError, 'x must have the layers\' dtype float64, got float32');
    });

    it('needs hooks to be an object of probe/observe functions, and probe to return a Tensor like y', () => {
      expect(() => mlpForward(net(), batch, junk([1, 1e308]))).to.throw(DomainError, 'hooks must be an object, got [1, 1e+308]');
      expect(() => mlpForward(net(), batch, junk(() => 1))).to.throw(DomainError, 'hooks must be an object, got function');
      expect(() => mlpForward(net(), batch, junk({ observe: 'log' }))).to.throw(DomainError, 'hooks.observe must be a function or undefined, got "log"');
      expect(() => mlpForward(net(), batch, junk({ prob: () => undefined }))).to.throw(DomainError, 'unknown option hooks.prob for mlpForward (did you mean probe?)');
      expect(() => mlpForward(net(), batch, { probe: junk(() => 1) })).to.throw(DTypeError, "hooks.probe(0, y)'s result must be a Tensor, got 1");
      expect(() => mlpForward(net(), batch, { probe: (_l, y) => y.sum() })).to.throw(ShapeError, 'hooks.probe(0, y) must return a Tensor of y\'s shape [2, 3], got []');
      let seen = 0;
      mlpForward(net(), batch, { observe: () => void seen++ });
      expect(seen).to.equal(2);
    });
  });

  describe('signalPropagation(layers, x, labels)', () => {
    it('checks layers and x before reading them (typed errors, not TypeErrors)', () => {
      expect(() => signalPropagation(junk(5e-324), batch, [0, 1])).to.throw(ShapeError, 'layers must be a non-empty array of Dense layers');
      expect(() => signalPropagation(net(), junk(undefined), [0, 1])).to.throw(DTypeError, 'x must be a Tensor, got undefined');
      expect(() => signalPropagation(net(), junk(null), [0, 1])).to.throw(DTypeError, 'x must be a Tensor, got null');
      expect(() => signalPropagation(junk([null]), batch, [0, 1])).to.throw(ShapeError, 'layers[0] must be a Dense layer {W, b, scale}, got null');
      expect(signalPropagation(net(), batch, [0, 1]).layers).to.have.length(2);
    });
  });

  describe('deadFraction(y)', () => {
    it('needs a Tensor of rank 1 or 2 with at least one sample and one unit', () => {
      expect(() => deadFraction(junk(null))).to.throw(DTypeError, 'y must be a Tensor, got null');
      expect(() => deadFraction(junk({ shape: [2, 2] }))).to.throw(DTypeError, 'y must be a Tensor, got object');
      expect(() => deadFraction(zeros([2, 2, 2]))).to.throw(ShapeError, 'y must be a [batch, units] or [units] Tensor, got shape [2, 2, 2]');
      expect(() => deadFraction(zeros([0, 3]))).to.throw(ShapeError, 'y must have at least one sample and one unit, got shape [0, 3]');
      expect(() => deadFraction(zeros([2, 0]))).to.throw(ShapeError, 'got shape [2, 0]');
    });

    it('reads a rank-1 y [units] as one sample: the fraction of units ≤ 0 (was NaN)', () => {
      expect(deadFraction(tensor([4e-323], [1], { dtype: 'float64' }))).to.equal(0); // a positive subnormal is alive
      expect(deadFraction(tensor([1, -2, 0, 3], [4]))).to.equal(0.5);
      expect(deadFraction(tensor([1, -2, 0, 3], [4]))).to.equal(deadFraction(tensor([1, -2, 0, 3], [1, 4])));
    });
  });
});
