/**
 * The Conv2d, MaxPool2d and AvgPool2d modules: parameters drawn by a named initializer with fans from the receptive
 * field, forward = the tensor ops, gradients by central differences (float64), typed errors, use in Sequential.
 */
import { expect } from 'chai';
import { DomainError, DTypeError, ShapeError } from '../../src/core/errors.js';
import { createRng, getTensorInitializer } from '../../src/init/index.js';
import { AvgPool2d, Conv2d, decodeSafetensors, encodeSafetensors, Flatten, Linear, loadStateDict, MaxPool2d, ReLU, Sequential } from '../../src/nn/index.js';
import { avgPool2d, conv2d, maxPool2d, mul, sum, type Tensor, tanh, tensor } from '../../src/tensor/index.js';
import { checkGradients } from '../support/finite-diff.js';

const EPS64 = 2 ** -52;

/** n uniform values in [-1, 1) from `seed`, as a float64 tensor of `shape`. */
function uniform(shape: number[], seed: number, requiresGrad = false): Tensor {
  const rng = createRng(seed);
  const n = shape.reduce((a, d) => a * d, 1);
  return tensor(Float64Array.from({ length: n }, () => 2 * rng.nextFloat64() - 1), shape, { dtype: 'float64', requiresGrad });
}

const maxAbs = (t: Tensor): number => Array.from(t.dense()).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('nn: Conv2d, MaxPool2d, AvgPool2d', () => {
  it('Conv2d: weight [out, in, kh, kw] from the named initializer and seed (reproducible), zero bias, forward = conv2d', () => {
    const make = (): Conv2d => new Conv2d(3, 4, [3, 2], { seed: 5, init: 'he_normal', initOptions: { mode: 'fan_out' }, dtype: 'float64', stride: [2, 1], padding: 1 });
    const m = make();
    expect(m.namedParameters().map(([n, t]) => [n, t.shape])).to.deep.equal([['weight', [4, 3, 3, 2]], ['bias', [4]]]);
    expect(Array.from(m.weight.dense())).to.deep.equal(Array.from(getTensorInitializer('he_normal').init([4, 3, 3, 2], createRng(5), { mode: 'fan_out' })));
    expect(Array.from(make().weight.dense())).to.deep.equal(Array.from(m.weight.dense()));
    expect(Array.from(new Conv2d(3, 4, [3, 2], { seed: 6, dtype: 'float64' }).weight.dense())).to.not.deep.equal(Array.from(m.weight.dense()));
    expect(Array.from(m.bias!.dense())).to.deep.equal([0, 0, 0, 0]);
    expect([m.kernelSize, m.stride, m.padding]).to.deep.equal([[3, 2], [2, 1], [1, 1]]);
    const x = uniform([2, 3, 6, 5], 1);
    const y = m.forward(x);
    expect(y.shape).to.deep.equal([2, 4, 3, 6]);
    expect(Array.from(y.dense())).to.deep.equal(Array.from(conv2d(x, m.weight, m.bias, { stride: [2, 1], padding: [1, 1] }).dense()));
    expect(new Conv2d(3, 4, 3, { seed: 1, bias: false }).bias).to.equal(null);
    expect(new Conv2d(3, 4, 3, { seed: 1, bias: false }).namedParameters().map(([n]) => n)).to.deep.equal(['weight']);
  });

  it('Conv2d: fans come from the receptive field (default kaiming_uniform; torch_default_linear for weight and bias)', () => {
    // fan_in = in·kh·kw = 16·3·3 = 144, fan_out = 32·9 = 288. Uniform draws fill their interval: with 4608 weights the
    // largest |w| is above 0.99 of the bound except with probability 0.99^4608 < 1e-20.
    const he = new Conv2d(16, 32, 3, { seed: 7 });
    const heBound = Math.sqrt(6 / 144);
    expect(maxAbs(he.weight)).to.be.within(0.99 * heBound, heBound);
    // Its second moment bound²/3 = 2/fan_in: the sample mean of w² has relative SE √(4/45)·3/√n ≈ 0.0132 for
    // n = 4608 (E w⁴ = b⁴/5 for U(±b)); 4 SE = 5.3%.
    const m2 = Array.from(he.weight.dense()).reduce((a, v) => a + v * v, 0) / he.weight.size;
    expect(Math.abs(m2 / (2 / 144) - 1)).to.be.below(0.053);
    const fanOut = new Conv2d(16, 32, 3, { seed: 7, initOptions: { mode: 'fan_out' } });
    expect(maxAbs(fanOut.weight)).to.be.within(0.99 * Math.sqrt(6 / 288), Math.sqrt(6 / 288));
    // PyTorch's nn.Conv2d default: weight and bias U(±1/√fan_in); 32 biases reach above 0.8 of it except w.p. 0.8^32 ≈ 8e-4.
    const torch = new Conv2d(16, 32, 3, { seed: 8, init: 'torch_default_linear' });
    expect(maxAbs(torch.weight)).to.be.within(0.99 / 12, 1 / 12);
    expect(maxAbs(torch.bias!)).to.be.within(0.8 / 12, 1 / 12);
  });

  it('Conv2d: gradients of x, weight and bias through tanh equal central differences (float64)', () => {
    const m = new Conv2d(2, 3, [2, 3], { seed: 3, dtype: 'float64', init: 'torch_default_linear', stride: [2, 1], padding: [1, 0] });
    const x = uniform([2, 2, 5, 4], 4, true);
    const c = uniform(m.forward(x).shape.slice(), 9);
    const loss = (): Tensor => sum(mul(tanh(m.forward(x)), c));
    // y is [2, 3, 3, 2] (36 outputs). L = Σ c·tanh(z): along one coordinate v, |∂³L/∂v³| ≤ Σ |c|·|tanh'''|·|∂z/∂v|³
    // ≤ 2·N over the N ≤ 18 outputs that one element reaches (x: ≤ O·kh·kw = 18; w and b: B·OH·OW = 12), since |c|,
    // |x|, |w| ≤ 1 and |tanh'''| ≤ 2: truncation ≤ h²/6·36. Rounding: each z sums K + 1 = 13 terms of magnitude ≤ 1
    // (error ≤ 14·13·ε), the loss 36 terms ≤ 1 (≤ 37·36·ε): per evaluation < 8000·ε, so ≤ 8000·ε/h in the quotient.
    const h = 1e-4;
    const tol = (h * h / 6) * 36 + (8000 * EPS64) / h;
    checkGradients(loss, [x, m.weight, m.bias!], h, () => tol, 'Conv2d');
  });

  it('MaxPool2d and AvgPool2d: forward = the ops (stride defaults to the kernel), no parameters', () => {
    const x = uniform([2, 3, 7, 6], 2);
    const mp = new MaxPool2d(3, { stride: 2, padding: 1 });
    expect(Array.from(mp.forward(x).dense())).to.deep.equal(Array.from(maxPool2d(x, { kernel: 3, stride: 2, padding: 1 }).dense()));
    const ap = new AvgPool2d([2, 3], { countIncludePad: false, padding: [1, 0] });
    expect([ap.kernelSize, ap.stride, ap.padding, ap.countIncludePad]).to.deep.equal([[2, 3], [2, 3], [1, 0], false]);
    expect(Array.from(ap.forward(x).dense())).to.deep.equal(Array.from(avgPool2d(x, { kernel: [2, 3], padding: [1, 0], countIncludePad: false }).dense()));
    expect(new AvgPool2d(2).countIncludePad).to.equal(true);
    expect(mp.parameters()).to.deep.equal([]);
    expect(ap.parameters()).to.deep.equal([]);
  });

  it('a Sequential CNN names its parameters by position and flattens into a Linear layer', () => {
    const net = new Sequential(new Conv2d(1, 4, 3, { padding: 1, seed: 1 }), new ReLU(), new AvgPool2d(2), new Flatten(), new Linear(4 * 3 * 3, 5, { seed: 2 }));
    expect(net.namedParameters().map(([n]) => n)).to.deep.equal(['0.weight', '0.bias', '4.weight', '4.bias']);
    const x = tensor(Float32Array.from({ length: 2 * 36 }, (_, i) => Math.sin(i)), [2, 1, 6, 6]);
    const y = net.forward(x);
    expect(y.shape).to.deep.equal([2, 5]);
    // a checkpoint of the 4-D conv weight round-trips bit for bit into a differently seeded twin
    const twin = new Sequential(new Conv2d(1, 4, 3, { padding: 1, seed: 8 }), new ReLU(), new AvgPool2d(2), new Flatten(), new Linear(4 * 3 * 3, 5, { seed: 9 }));
    expect(Array.from(twin.forward(x).dense())).to.not.deep.equal(Array.from(y.dense()));
    const { entries } = decodeSafetensors(encodeSafetensors(net.namedParameters()), 'cnn.safetensors');
    expect(entries.map(([n, t]) => [n, t.shape])).to.deep.equal(net.namedParameters().map(([n, t]) => [n, t.shape]));
    loadStateDict(twin, new Map(entries));
    expect(Array.from(twin.forward(x).dense())).to.deep.equal(Array.from(y.dense()));
  });

  describe('typed errors', () => {
    const x = tensor(new Float32Array(2 * 3 * 5 * 5), [2, 3, 5, 5]);
    const cases: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
      ['inChannels 0', () => new Conv2d(0, 4, 3, { seed: 1 }), DomainError, /inChannels must be a positive integer, got 0/],
      ['outChannels 2.5', () => new Conv2d(3, 2.5, 3, { seed: 1 }), DomainError, /outChannels must be a positive integer, got 2.5/],
      ['kernelSize [3]', () => new Conv2d(3, 4, [3] as never, { seed: 1 }), DomainError, /kernelSize must be an integer ≥ 1 or an \[h, w\] pair/],
      ['kernelSize 0', () => new Conv2d(3, 4, 0, { seed: 1 }), DomainError, /kernelSize must be an integer in \[1, 4294967296\], got 0/],
      ['stride [1, 0]', () => new Conv2d(3, 4, 3, { seed: 1, stride: [1, 0] }), DomainError, /options.stride\[1\] must be an integer in \[1, 4294967296\], got 0/],
      ['padding -1', () => new Conv2d(3, 4, 3, { seed: 1, padding: -1 }), DomainError, /options.padding must be an integer in \[0, 4294967296\], got -1/],
      ['no seed', () => new Conv2d(3, 4, 3), DomainError, /options.seed is required/],
      ['unknown initializer', () => new Conv2d(3, 4, 3, { seed: 1, init: 'he_normall' }), DomainError, /he_normal/],
      ['unknown option', () => new Conv2d(3, 4, 3, { seed: 1, strides: 2 } as never), DomainError, /unknown option options.strides for Conv2d \(did you mean stride\?\)/],
      ['a weight too large to allocate', () => new Conv2d(3, 4, 2 ** 20, { seed: 1 }), ShapeError, /the weight shape \[outChannels, inChannels, kh, kw\] has too many elements/],
      ['forward: x of rank 2', () => new Conv2d(3, 4, 3, { seed: 1 }).forward(tensor([1, 2], [1, 2])), ShapeError, /Conv2d.forward: x must have shape \[batch, 3, height, width\]/],
      ['forward: wrong channels', () => new Conv2d(2, 4, 3, { seed: 1 }).forward(x), ShapeError, /Conv2d.forward: x must have shape \[batch, 2, height, width\] \(inChannels\), got \[2, 3, 5, 5\]/],
      ['forward: dtype', () => new Conv2d(3, 4, 3, { seed: 1, dtype: 'float64' }).forward(x), DTypeError, /Conv2d.forward: x must have the layer's dtype float64, got float32/],
      ['forward: kernel larger than the padded input', () => new Conv2d(3, 4, 7, { seed: 1 }).forward(x), ShapeError, /conv2d: the kernel height w.shape\[2\] = 7 must be at most the padded input height x.shape\[2\] \+ 2·padding = 5 \+ 2·0 = 5/],
      ['MaxPool2d kernelSize -1', () => new MaxPool2d(-1), DomainError, /kernelSize must be an integer in \[1, 4294967296\], got -1/],
      ['MaxPool2d padding over half the kernel', () => new MaxPool2d(2, { padding: 2 }), DomainError, /options.padding must be an integer in \[0, ⌊kernel \/ 2⌋ = 1\]/],
      ['AvgPool2d countIncludePad', () => new AvgPool2d(2, { countIncludePad: 'no' as never }), DomainError, /options.countIncludePad must be a boolean/],
      ['AvgPool2d unknown option', () => new AvgPool2d(2, { kernel: 2 } as never), DomainError, /unknown option options.kernel for AvgPool2d/],
      ['MaxPool2d forward: not a tensor', () => new MaxPool2d(2).forward([1] as never), DTypeError, /MaxPool2d.forward: x must be a Tensor/],
    ];
    for (const [what, f, type, re] of cases) it(what, () => expect(f).to.throw(type, re));
  });
});
