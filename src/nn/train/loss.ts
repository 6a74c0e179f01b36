/**
 * The losses `fit` and `evaluate` take by name or as a function, resolved once against the loader's targets, and
 * `evaluate` itself: batch-weighted mean loss and (for class labels) accuracy in evaluation mode under `noGrad`.
 */
import { DomainError, DTypeError, ShapeError, describe } from '../../core/errors.js';
import { argmax, crossEntropy, mse, noGrad, Tensor } from '../../tensor/index.js';
import { DataLoader } from '../data/index.js';
import { checkTrainable, forwardChecked, type Trainable } from './model.js';

/** A loss: `'cross_entropy'` (class labels), `'mse'` (regression targets) or a function returning a scalar Tensor. */
export type LossSpec = 'cross_entropy' | 'mse' | ((out: Tensor, y: Int32Array | Tensor) => Tensor);

/** A resolved loss: a function of (output, batch targets) returning a one-element Tensor. */
export type LossFn = (out: Tensor, y: Int32Array | Tensor) => Tensor;

/** `loader` (called `name`) must be a DataLoader. */
export function checkLoader(loader: unknown, name: string): DataLoader {
  if (!(loader instanceof DataLoader)) throw new DomainError(`${name} must be a DataLoader, got ${describe(loader)}`);
  return loader;
}

/**
 * Resolve `loss` (called `name`) for `loader`: 'cross_entropy' needs class labels, 'mse' regression targets (a
 * DomainError otherwise, before any work); a function is wrapped so that its result is checked to be a one-element
 * Tensor (DTypeError / ShapeError naming `name`).
 */
export function resolveLoss(loss: unknown, loader: DataLoader, name: string): LossFn {
  const kind = loader.dataset.y.kind;
  if (loss === 'cross_entropy' || loss === 'mse') {
    const need = loss === 'cross_entropy' ? 'labels' : 'targets';
    if (kind !== need) {
      throw new DomainError(`${name} ${describe(loss)} needs a dataset of class ${need === 'labels' ? 'labels' : 'regression targets'}, the loader's dataset holds ${kind}`);
    }
    return loss === 'cross_entropy' ? (out, y) => crossEntropy(out, y as Int32Array) : (out, y) => mse(out, y as Tensor);
  }
  if (typeof loss !== 'function') throw new DomainError(`${name} must be 'cross_entropy', 'mse' or a function (out, y) => Tensor, got ${describe(loss)}`);
  const f = loss as LossFn;
  return (out, y) => {
    const v: unknown = f(out, y);
    if (!(v instanceof Tensor)) throw new DTypeError(`${name} must return a Tensor, got ${describe(v)}`);
    if (v.size !== 1) throw new ShapeError(`${name} must return a one-element Tensor (the batch loss), got shape ${describe([...v.shape])}`);
    return v;
  };
}

/** What `evaluate` returns. */
export interface Evaluation {
  /** Mean loss over the samples: Σ_b n_b·loss_b / Σ_b n_b (each batch loss a batch mean, as crossEntropy and mse are). */
  readonly loss: number;
  /** Fraction of samples whose arg-max output is the label (datasets of class labels only). */
  readonly accuracy?: number;
  /** Samples seen. */
  readonly samples: number;
}

/** Number of rows of `out` [b, classes] whose arg-max is the label. */
function correct(out: Tensor, y: Int32Array): number {
  if (out.ndim !== 2 || out.shape[0] !== y.length) {
    throw new ShapeError(`model output must be [batch, classes] with one row per label (${y.length}) for accuracy, got shape ${describe([...out.shape])}`);
  }
  const pred = argmax(out, 1).dense();
  let k = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) k++;
  return k;
}

/** `evaluate` on checked arguments (fit evaluates with the loss it already resolved). */
export function evaluateResolved(model: Trainable, loader: DataLoader, loss: LossFn): Evaluation {
  const was = typeof model.training === 'boolean' ? model.training : true;
  const labels = loader.dataset.y.kind === 'labels';
  model.eval();
  try {
    return noGrad(() => {
      let total = 0;
      let hits = 0;
      let n = 0;
      for (const { x, y } of loader.epoch(0)) {
        const out = forwardChecked(model, x);
        const b = x.shape[0] as number;
        total += loss(out, y).item() * b;
        if (labels) hits += correct(out, y as Int32Array);
        n += b;
      }
      return labels ? { loss: total / n, accuracy: hits / n, samples: n } : { loss: total / n, samples: n };
    });
  } finally {
    model.train(was);
  }
}

/**
 * Loss and (for class labels) accuracy of `model` over one pass of `loader` (its epoch 0), in evaluation mode under
 * `noGrad`; the model's mode is restored afterwards (its `training` flag when it has one, else training mode), also
 * when the pass throws. `loss` as for `fit`.
 */
export function evaluate(model: Trainable, loader: DataLoader, loss: LossSpec): Evaluation {
  const m = checkTrainable(model, 'model');
  const l = checkLoader(loader, 'loader');
  return evaluateResolved(m, l, resolveLoss(loss, l, 'loss'));
}
