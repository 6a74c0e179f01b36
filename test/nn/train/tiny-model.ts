/** A test-local Trainable around `denseFromInit` / `mlpForward` (the real Module / Sequential live elsewhere). */
import { createRng, initializeNetwork } from '../../../src/init/index.js';
import { denseFromInit, mlpForward, type Dense, type Trainable } from '../../../src/nn/index.js';
import type { Tensor } from '../../../src/tensor/index.js';

export class TinyMlp implements Trainable {
  training = true;
  constructor(readonly layers: Dense[]) {}

  /** A kaiming_normal ReLU MLP of `widths` drawn from `seed`. */
  static he(widths: readonly number[], seed: number): TinyMlp {
    const shapes = widths.slice(1).map((o, l) => [o, widths[l] as number]);
    return new TinyMlp(denseFromInit(initializeNetwork('kaiming_normal', shapes, createRng(seed))));
  }

  forward(x: Tensor): Tensor {
    return mlpForward(this.layers, x);
  }

  namedParameters(): (readonly [string, Tensor])[] {
    return this.layers.flatMap((l, i) => (l.b === null ? [[`${i}.weight`, l.W] as const] : [[`${i}.weight`, l.W] as const, [`${i}.bias`, l.b] as const]));
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  train(on = true): this {
    this.training = on;
    return this;
  }

  eval(): this {
    return this.train(false);
  }
}
