/**
 * What the training loop needs from a model: a forward pass, its named parameters and a train / eval switch. A
 * structural interface, so any module system (a `Sequential`, a hand-written adapter around `mlpForward`) plugs in.
 */
import { DomainError, DTypeError, ShapeError, describe } from '../../core/errors.js';
import { Tensor } from '../../tensor/index.js';

/** A model `fit`, `evaluate` and the diagnostics accept. */
export interface Trainable {
  /** The model's output for a batch `x`. */
  forward(x: Tensor): Tensor;
  /** Parameters with stable names, in a fixed order (weights as [out, in], each followed by its bias). */
  namedParameters(): readonly (readonly [string, Tensor])[];
  /** The same tensors as `namedParameters`, in the same order. */
  parameters(): Tensor[];
  /** Switch to training mode (`on` default true) or, with `on = false`, to evaluation mode. */
  train(on?: boolean): unknown;
  /** Switch to evaluation mode. */
  eval(): unknown;
  /** Current mode, when the model exposes it (`evaluate` restores it; without it training mode is assumed). */
  readonly training?: boolean;
}

const METHODS = ['forward', 'namedParameters', 'parameters', 'train', 'eval'] as const;

/** `model` (called `name`) must be an object with the Trainable methods (DomainError naming the first one missing). */
export function checkTrainable(model: unknown, name = 'model'): Trainable {
  if (typeof model !== 'object' || model === null) {
    throw new DomainError(`${name} must be a Trainable { forward, namedParameters, parameters, train, eval }, got ${describe(model)}`);
  }
  const m = model as Record<string, unknown>;
  for (const k of METHODS) {
    if (typeof m[k] !== 'function') throw new DomainError(`${name}.${k} must be a function (${name} must be a Trainable), got ${describe(m[k])}`);
  }
  return model as Trainable;
}

/** The output of `model.forward(x)`, checked to be a Tensor. */
export function forwardChecked(model: Trainable, x: Tensor, name = 'model'): Tensor {
  const out: unknown = model.forward(x);
  if (!(out instanceof Tensor)) throw new DTypeError(`${name}.forward must return a Tensor, got ${describe(out)}`);
  return out;
}

/** `model.namedParameters()`, checked: an array of [non-empty name, Tensor] pairs with distinct names. */
export function namedParams(model: Trainable, name = 'model'): (readonly [string, Tensor])[] {
  const list: unknown = model.namedParameters();
  if (!Array.isArray(list)) throw new DomainError(`${name}.namedParameters() must return an array of [name, Tensor], got ${describe(list)}`);
  const seen = new Set<string>();
  return list.map((entry: unknown, i) => {
    const where = `${name}.namedParameters()[${i}]`;
    if (!Array.isArray(entry) || entry.length !== 2) throw new DomainError(`${where} must be a pair [name, Tensor], got ${describe(entry)}`);
    const [n, t] = entry as [unknown, unknown];
    if (typeof n !== 'string' || n.length === 0) throw new DomainError(`${where}[0] must be a non-empty name, got ${describe(n)}`);
    if (seen.has(n)) throw new DomainError(`${where}: the name ${describe(n)} appears twice`);
    seen.add(n);
    if (!(t instanceof Tensor)) throw new DTypeError(`${where}[1] must be a Tensor, got ${describe(t)}`);
    return [n, t] as const;
  });
}

/** A weight [out, in, …] (dense [out, in], conv [out, in, kh, kw]) with its optional bias [out], as `pairLayers` reads them. */
export interface WeightPair {
  readonly weightName: string;
  readonly W: Tensor;
  readonly biasName: string | null;
  readonly b: Tensor | null;
}

/**
 * Group a model's parameters into layers: each tensor of rank ≥ 2 (a weight [out, in] or a conv kernel
 * [out, in, kh, kw]) starts a layer and may be followed by one 1-D tensor of length out (its bias). Anything else (a 1-D tensor without a weight before it, a bias of the
 * wrong length, another rank) is a ShapeError naming the parameter; a model without parameters too. `model` is checked
 * with `checkTrainable` first.
 */
export function pairLayers(model: Trainable, name = 'model'): WeightPair[] {
  const params = namedParams(checkTrainable(model, name), name);
  if (params.length === 0) throw new ShapeError(`${name} must have at least one weight [out, in], got no parameters`);
  const out: WeightPair[] = [];
  for (let i = 0; i < params.length; i++) {
    const [wn, W] = params[i] as readonly [string, Tensor];
    if (W.ndim < 2) {
      throw new ShapeError(`${name} parameter ${describe(wn)} must be a weight [out, in, …] (or the bias right after one), got shape ${describe([...W.shape])}`);
    }
    const next = params[i + 1];
    if (next !== undefined && next[1].ndim === 1) {
      if (next[1].shape[0] !== W.shape[0]) {
        throw new ShapeError(`${name} parameter ${describe(next[0])} must be the bias of ${describe(wn)} of length ${W.shape[0]}, got shape ${describe([...next[1].shape])}`);
      }
      out.push({ weightName: wn, W, biasName: next[0], b: next[1] });
      i++;
    } else out.push({ weightName: wn, W, biasName: null, b: null });
  }
  return out;
}
