/**
 * MNIST with a 784-256-256-10 ReLU MLP, He (kaiming_normal) init, SGD momentum 0.9, batch 128, 3 epochs, then the
 * test split. Run: `npx tsx examples/mnist-mlp.ts` (about a minute or two on a CPU).
 *
 * The model is a minimal Trainable around the Dense layers of `denseFromInit`; any Module with forward,
 * namedParameters, parameters, train and eval plugs into `fit` the same way.
 */
import { createRng, initializeNetwork } from '../src/init/index.js';
import { DataLoader, denseFromInit, evaluate, fit, loadMnist, mlpForward, SGD, type Dense, type Trainable } from '../src/nn/index.js';
import type { Tensor } from '../src/tensor/index.js';

class Mlp implements Trainable {
  training = true;
  constructor(readonly layers: Dense[]) {}
  forward(x: Tensor): Tensor {
    return mlpForward(this.layers, x);
  }
  namedParameters(): (readonly [string, Tensor])[] {
    return this.layers.flatMap((l, i) => [[`${i}.weight`, l.W] as const, ...(l.b === null ? [] : [[`${i}.bias`, l.b] as const])]);
  }
  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }
  train(on = true): void {
    this.training = on;
  }
  eval(): void {
    this.training = false;
  }
}

const widths = [784, 256, 256, 10];
const shapes = widths.slice(1).map((out, l) => [out, widths[l] as number]);
const model = new Mlp(denseFromInit(initializeNetwork('kaiming_normal', shapes, createRng(1))));
const train = new DataLoader(loadMnist({ split: 'train', normalize: 'standard' }), { batchSize: 128, seed: 2 });
const test = new DataLoader(loadMnist({ split: 'test', normalize: 'standard' }), { batchSize: 1000, shuffle: false });
const optimizer = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });

const t0 = Date.now();
const result = fit(model, {
  data: train,
  loss: 'cross_entropy',
  optimizer,
  epochs: 3,
  callbacks: { onEpoch: (e) => console.log(`epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`) },
});
if (result.stopped !== null) console.log(`stopped: ${result.stopped.reason}`);
const { loss, accuracy } = evaluate(model, test, 'cross_entropy');
console.log(`test loss ${loss.toFixed(4)}, test accuracy ${((accuracy ?? 0) * 100).toFixed(2)}% after ${result.steps.length} steps`);
