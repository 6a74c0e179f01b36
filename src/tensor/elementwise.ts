/**
 * Elementwise ops: broadcasting binary arithmetic and pointwise nonlinearities, each with its
 * gradient. Binary ops share `operands` (coercion + dtype policy) and `sumTo` (unbroadcasting);
 * smooth unary ops share `unary`, which needs only f and f' expressed through (x, f(x)).
 */
import { describe, DTypeError } from '../core/errors.js';
import { finiteParam } from '../core/options.js';
import { getBackend } from '../kernels/registry.js';
import { record } from './autograd.js';
import { broadcastBinary, mapStrided, sumTo } from './broadcast.js';
import { asTensor, type DType, Tensor, type TensorLike } from './tensor.js';

/** Throw DTypeError naming `name` unless `x` is a Tensor. */
export function checkTensor(name: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new DTypeError(`${name} must be a Tensor, got ${describe(x)}`);
  return x;
}

/**
 * Coerce binary operands: numbers take the other operand's dtype; two tensors must share a dtype
 * (DTypeError otherwise — no silent promotion, so a float32 run never turns float64 unnoticed).
 */
function operands(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const dtype: DType = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : 'float32';
  const x = asTensor(a, dtype, `${op}: a`);
  const y = asTensor(b, dtype, `${op}: b`);
  if (x.dtype !== y.dtype) {
    throw new DTypeError(`${op}: b must have a's dtype ${x.dtype}, got ${y.dtype} (cast explicitly with .to('${x.dtype}'))`);
  }
  return [x, y];
}

/** [rows, cols] + [cols] goes to the backend's bias kernel; null when the shapes are not that case. */
function biasAdd(x: Tensor, bias: Tensor): Tensor | null {
  if (x.ndim !== 2 || bias.ndim !== 1 || bias.shape[0] !== x.shape[1]) return null;
  const [rows, cols] = x.shape;
  return new Tensor(getBackend().addBias(x.dense(), bias.dense(), rows, cols), x.shape);
}

/** a + b with broadcasting. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands('add', a, b);
  const out = biasAdd(x, y) ?? biasAdd(y, x) ?? broadcastBinary('add', x, y, (p, q) => p + q);
  return record(out, 'add', [x, y], (g) => [sumTo(g, x.shape), sumTo(g, y.shape)]);
}

/** a - b with broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands('sub', a, b);
  const out = broadcastBinary('sub', x, y, (p, q) => p - q);
  return record(out, 'sub', [x, y], (g) => [sumTo(g, x.shape), sumTo(neg(g), y.shape)]);
}

/** a * b (elementwise) with broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands('mul', a, b);
  const out = broadcastBinary('mul', x, y, (p, q) => p * q);
  return record(out, 'mul', [x, y], (g) => [sumTo(mul(g, y), x.shape), sumTo(mul(g, x), y.shape)]);
}

/** a / b (elementwise) with broadcasting; division by zero follows IEEE (±Inf / NaN). */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands('div', a, b);
  const out = broadcastBinary('div', x, y, (p, q) => p / q);
  // d(x/y)/dy = -x/y² = -out/y
  return record(out, 'div', [x, y], (g) => [sumTo(div(g, y), x.shape), sumTo(neg(div(mul(g, out), y)), y.shape)]);
}

/**
 * Pointwise op y = f(x) whose derivative is expressed through x and y (e.g. exp' = y), so the
 * backward pass reuses the forward output instead of recomputing f.
 */
function unary(op: string, x: Tensor, f: (v: number) => number, df: (v: number, y: number) => number): Tensor {
  checkTensor(`${op}: x`, x);
  const out = new Tensor(mapStrided(x.dtype, x.shape, x, x, f), x.shape);
  return record(out, op, [x], (g) => [mul(g, new Tensor(mapStrided(x.dtype, x.shape, x, out, df), x.shape))]);
}

/** -x */
export function neg(x: Tensor): Tensor {
  return unary('neg', x, (v) => -v, () => -1);
}

/** c·x for a finite number c. */
export function scale(x: Tensor, c: number): Tensor {
  finiteParam('c', c);
  return unary('scale', x, (v) => c * v, () => c);
}

/** e^x */
export function exp(x: Tensor): Tensor {
  return unary('exp', x, Math.exp, (_v, y) => y);
}

/** Natural log (NaN for negative inputs, -Inf at 0, as in IEEE arithmetic). */
export function log(x: Tensor): Tensor {
  return unary('log', x, Math.log, (v) => 1 / v);
}

/** Logistic sigmoid 1 / (1 + e^-x), computed without overflow for large |x|. */
export function sigmoid(x: Tensor): Tensor {
  const f = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
  return unary('sigmoid', x, f, (_v, y) => y * (1 - y));
}

/** Hyperbolic tangent. */
export function tanh(x: Tensor): Tensor {
  return unary('tanh', x, Math.tanh, (_v, y) => 1 - y * y);
}

/** max(x, slope·x)-style leaky ReLU: x for x > 0, slope·x otherwise (derivative slope at 0). */
export function leakyRelu(x: Tensor, slope: number): Tensor {
  finiteParam('slope', slope);
  return unary('leakyRelu', x, (v) => (v > 0 ? v : slope * v), (v) => (v > 0 ? 1 : slope));
}

/** max(x, 0), forward and backward on the active backend (subgradient 0 at 0). */
export function relu(x: Tensor): Tensor {
  checkTensor('relu: x', x);
  const xd = x.dense();
  const out = new Tensor(getBackend().relu(xd), x.shape);
  return record(out, 'relu', [x], (g) => [new Tensor(getBackend().reluBackward(xd, g.dense()), x.shape)]);
}
