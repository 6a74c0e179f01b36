/**
 * MNIST with a 784-256-256-10 ReLU MLP, He (kaiming_normal) init, SGD momentum 0.9, batch 128, 3 epochs, then the
 * test split. Run: `npx tsx examples/mnist-mlp.ts` (about half a minute on the default wasm backend).
 * Outside this repository, import from 'initlab/nn' instead of the source path.
 */
import { DataLoader, evaluate, fit, loadMnist, mlp, SGD } from '../src/nn/index.js';

const model = mlp({ widths: [784, 256, 256, 10], init: 'kaiming_normal', seed: 1 });
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
