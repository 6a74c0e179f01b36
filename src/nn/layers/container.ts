/** Shape and composition modules: `Flatten` and `Sequential`. */
import { DomainError, ShapeError, describe } from '../../core/errors.js';
import type { Tensor } from '../../tensor/index.js';
import { checkTensorArg } from '../checks.js';
import { Module } from '../module.js';

/** [batch, d1, d2, …] → [batch, d1·d2·…] (a view when the input is contiguous). */
export class Flatten extends Module {
  forward(x: Tensor): Tensor {
    const t = checkTensorArg('Flatten.forward: x', x);
    if (t.ndim < 1) throw new ShapeError('Flatten.forward: x must have a batch dimension (rank ≥ 1), got a 0-D tensor');
    const [batch] = t.shape as [number];
    return t.reshape([batch, t.shape.slice(1).reduce((a, b) => a * b, 1)]);
  }
}

/** The modules applied in order, registered as children `'0'`, `'1'`, … (so parameters are `'0.weight'`, …). */
export class Sequential extends Module {
  readonly #layers: Module[];

  constructor(...modules: Module[]) {
    super();
    if (modules.length === 0) throw new DomainError('Sequential needs at least one module, got none');
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) throw new DomainError(`Sequential: argument ${i} must be a Module, got ${describe(m)}`);
      this.registerModule(String(i), m);
    });
    this.#layers = modules;
  }

  /** Number of modules. */
  get length(): number {
    return this.#layers.length;
  }

  /** The module at index i (0 ≤ i < length). */
  at(i: number): Module {
    const m = Number.isInteger(i) ? this.#layers[i] : undefined;
    if (m === undefined) throw new DomainError(`Sequential.at: i must be an integer in [0, ${this.#layers.length - 1}], got ${describe(i)}`);
    return m;
  }

  forward(x: Tensor): Tensor {
    return this.#layers.reduce((h, m) => m.forward(h), x);
  }
}
