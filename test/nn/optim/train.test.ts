import { expect } from 'chai';
import { createRng, initializeNetwork } from '../../../src/init/index.js';
import { DataLoader, denseFromInit, mlpForward, SGD, twoMoons } from '../../../src/nn/index.js';
import { argmax, crossEntropy, tensor } from '../../../src/tensor/index.js';

describe('nn/optim: training smoke test', () => {
  it('a 2-layer ReLU MLP (kaiming_normal, 2-64-2) learns two moons to ≥ 95% train accuracy with SGD + momentum in 320 steps', () => {
    const data = twoMoons(512, { seed: 1, noise: 0.1 });
    const layers = denseFromInit(initializeNetwork('kaiming_normal', [[64, 2], [2, 64]], createRng(2)));
    const opt = new SGD(layers.flatMap((l) => [l.W, l.b!]), { lr: 0.1, momentum: 0.9 });
    const loader = new DataLoader(data, { batchSize: 64, seed: 3 });
    const all = tensor(data.x, data.shape);
    const accuracy = (): number => {
      const pred = argmax(mlpForward(layers, all), 1).dense();
      let hits = 0;
      for (let i = 0; i < pred.length; i++) hits += pred[i] === data.y.values[i] ? 1 : 0;
      return hits / pred.length;
    };
    const loss0 = crossEntropy(mlpForward(layers, all), data.y.values).item();
    const acc0 = accuracy();
    for (let e = 0; e < 40; e++) {
      for (const { x, y } of loader.epoch(e)) {
        opt.zeroGrad();
        crossEntropy(mlpForward(layers, x), y).backward();
        opt.step();
      }
    }
    const loss1 = crossEntropy(mlpForward(layers, all), data.y.values).item();
    expect(acc0).to.be.below(0.9); // the untrained net is far from the target
    expect(accuracy()).to.be.at.least(0.95);
    expect(loss1).to.be.below(loss0 / 4);
  });
});
