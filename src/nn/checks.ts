/**
 * Argument checks of src/nn's public functions, run before any work: a network is a non-empty array of Dense layers
 * that chain, a batch is a 2-D Tensor of the network's input width and dtype, hooks are a record of functions.
 * Errors name the argument as the caller wrote it, what is allowed and what was given.
 */
import { DomainError, DTypeError, ShapeError, describe } from '../core/errors.js';
import { checkedOptions } from '../core/options.js';
import { Tensor } from '../tensor/index.js';
import type { Dense } from './mlp.js';

/** What `mlpForward` calls around each layer (see there). */
export interface ForwardHooks {
  probe?: (l: number, y: Tensor) => Tensor;
  observe?: (l: number, input: Tensor, y: Tensor) => void;
}

const shapeText = (t: Tensor): string => describe([...t.shape]);

/** DTypeError unless `v` is a Tensor. */
export function checkTensorArg(name: string, v: unknown): Tensor {
  if (!(v instanceof Tensor)) throw new DTypeError(`${name} must be a Tensor, got ${describe(v)}`);
  return v;
}

/**
 * A network: a non-empty array of `{ W, b, scale }` with W a 2-D Tensor [out, in], b null or a Tensor [out], scale
 * finite and > 0, one dtype throughout, and consecutive layers chaining (`W_l.shape[1] = W_{l-1}.shape[0]`).
 */
export function checkDenseLayers(layers: unknown, name = 'layers'): readonly Dense[] {
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new ShapeError(`${name} must be a non-empty array of Dense layers {W, b, scale} (see denseFromInit), got ${describe(layers)}`);
  }
  let prev: Dense | null = null;
  layers.forEach((layer: unknown, l) => {
    const where = `${name}[${l}]`;
    if (typeof layer !== 'object' || layer === null) throw new ShapeError(`${where} must be a Dense layer {W, b, scale}, got ${describe(layer)}`);
    const { W, b, scale } = layer as Record<string, unknown>;
    const w = checkTensorArg(`${where}.W`, W);
    if (w.ndim !== 2) throw new ShapeError(`${where}.W must be a 2-D Tensor [out, in], got shape ${shapeText(w)}`);
    const [out, inp] = w.shape as [number, number];
    if (b !== null) {
      const bt = checkTensorArg(`${where}.b (or null)`, b);
      if (bt.ndim !== 1 || bt.shape[0] !== out) throw new ShapeError(`${where}.b must have shape [${out}] (W's out), got ${shapeText(bt)}`);
      if (bt.dtype !== w.dtype) throw new DTypeError(`${where}.b must have ${where}.W's dtype ${w.dtype}, got ${bt.dtype}`);
    }
    if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) {
      throw new DomainError(`${where}.scale must be a finite number > 0, got ${describe(scale)}`);
    }
    if (prev !== null) {
      const [prevOut] = prev.W.shape as [number, number];
      if (inp !== prevOut) {
        throw new ShapeError(`${where}.W.shape[1] (in) must equal ${name}[${l - 1}].W.shape[0] = ${prevOut} (consecutive layers must chain), got ${inp}`);
      }
      if (w.dtype !== prev.W.dtype) throw new DTypeError(`${where}.W must have the dtype of ${name}[0].W, ${prev.W.dtype}, got ${w.dtype}`);
    }
    prev = layer as Dense;
  });
  return layers as readonly Dense[];
}

/** A batch for `layers` (already checked): a 2-D Tensor [batch, in] with the first layer's `in` and dtype. */
export function checkBatch(x: unknown, layers: readonly Dense[], name = 'x'): Tensor {
  const t = checkTensorArg(name, x);
  const W = (layers[0] as Dense).W;
  const inp = W.shape[1] as number;
  if (t.ndim !== 2 || t.shape[1] !== inp) throw new ShapeError(`${name} must have shape [batch, ${inp}] (layers[0]'s in), got ${shapeText(t)}`);
  if (t.dtype !== W.dtype) throw new DTypeError(`${name} must have the layers' dtype ${W.dtype}, got ${t.dtype} (cast with .to('${W.dtype}'))`);
  return t;
}

/** `hooks`: undefined or an object with only `probe` and `observe`, each a function or undefined. */
export function parseHooks(hooks: unknown, fn: string): ForwardHooks {
  const o = checkedOptions(fn, hooks, ['probe', 'observe'], 'hooks');
  for (const key of ['probe', 'observe'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'function') {
      throw new DomainError(`hooks.${key} must be a function or undefined, got ${describe(o[key])}`);
    }
  }
  return o as ForwardHooks;
}

/** What `hooks.probe(l, y)` returned must stand in for y: a Tensor of y's shape and dtype. */
export function checkProbed(r: unknown, y: Tensor, l: number): Tensor {
  const t = checkTensorArg(`hooks.probe(${l}, y)'s result`, r);
  if (t.ndim !== y.ndim || t.shape.some((d, i) => d !== y.shape[i])) {
    throw new ShapeError(`hooks.probe(${l}, y) must return a Tensor of y's shape ${shapeText(y)}, got ${shapeText(t)}`);
  }
  if (t.dtype !== y.dtype) throw new DTypeError(`hooks.probe(${l}, y) must return a Tensor of y's dtype ${y.dtype}, got ${t.dtype}`);
  return t;
}
