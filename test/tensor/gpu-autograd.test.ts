/**
 * Autograd on the gpu backend: a float32 ReLU MLP with cross-entropy has the same loss and
 * gradients as on the CPU backend, up to float32 rounding.
 *
 * Tolerance: every gradient entry is a product of at most three matmul/bias stages with inner
 * dimension k ≤ 16 (batch 12, widths ≤ 16); by the float32 dot-product bound each stage adds at most
 * (k + 2)·eps32 relative to the magnitudes it sums, ≈ 2e-6 here; with magnitude sums of order 1
 * through three stages the difference stays below ~1e-5 of the largest gradient entry, so we ask
 * for |Δ| ≤ 1e-4 · max|g_cpu| (one order of margin). Data are drawn so that no pre-activation sits
 * within rounding distance of the ReLU kink (checked below), where the two backends could
 * legitimately pick different subgradients.
 */
import { expect } from 'chai';
import { GpuBackend } from '../../src/kernels/gpu/backend.js';
import { getBackend, setBackend } from '../../src/kernels/registry.js';
import { add, crossEntropy, linear, matmul, relu, Tensor, tensor } from '../../src/tensor/index.js';
import { openGpuOrSkip, randomFloat32 } from '../support/gpu-helpers.js';

const RTOL = 1e-4;

interface Run {
  loss: number;
  grads: Float32Array[];
  preActivations: Float32Array[];
}

/**
 * Loss, parameter gradients and hidden pre-activations of a fixed 2-hidden-layer MLP, built from separate ops or
 * (fused) from `linear` layers, which run as one Backend.linear kernel each (pre-activations then not recorded).
 */
function mlpRun(fused = false): Run {
  const [n, d, h1, h2, c] = [12, 9, 16, 11, 5];
  const p = (length: number, seed: number, scale: number, shape: number[]): Tensor =>
    tensor(randomFloat32(length, seed, scale), shape, { requiresGrad: true });
  const x = tensor(randomFloat32(n * d, 1, 2), [n, d]);
  const params = [
    p(d * h1, 2, 0.6, [d, h1]), p(h1, 3, 0.1, [h1]),
    p(h1 * h2, 4, 0.4, [h1, h2]), p(h2, 5, 0.1, [h2]),
    p(h2 * c, 6, 0.5, [h2, c]), p(c, 7, 0.1, [c]),
  ];
  const [w1, b1, w2, b2, w3, b3] = params;
  let logits: Tensor;
  let pre: Tensor[] = [];
  if (fused) {
    // linear takes W as [out, in]: the [in, out] parameters enter as transposed views (no copies).
    const h1 = linear(x, w1.transpose(), b1, { relu: true });
    const h2 = linear(h1, w2.transpose(), b2, { relu: true });
    logits = linear(h2, w3.transpose(), b3);
  } else {
    const z1 = add(matmul(x, w1), b1);
    const z2 = add(matmul(relu(z1), w2), b2);
    logits = add(matmul(relu(z2), w3), b3);
    pre = [z1, z2];
  }
  const loss = crossEntropy(logits, Int32Array.from({ length: n }, (_, i) => (i * 7) % c));
  loss.backward();
  return {
    loss: loss.item(),
    grads: params.map((t) => Float32Array.from(t.grad!.dense())),
    preActivations: pre.map((z) => Float32Array.from(z.dense())),
  };
}

describe('autograd through the gpu backend', function () {
  let previous: string;

  before(function () {
    openGpuOrSkip(this).dispose();
    previous = getBackend().name;
  });

  after(() => {
    if (previous !== undefined) setBackend(previous);
  });

  for (const fused of [false, true]) it(`gives the CPU loss and gradients on a small MLP (float32${fused ? ', fused linear layers' : ''})`, () => {
    setBackend('cpu');
    const ref = mlpRun();
    const gpu = setBackend('gpu');
    expect(gpu).to.be.instanceOf(GpuBackend);
    const calls = new Map((gpu as GpuBackend).gpuCalls);
    const got = mlpRun(fused);
    const ran = (op: string): number => ((gpu as GpuBackend).gpuCalls.get(op) ?? 0) - (calls.get(op) ?? 0);
    // Forward: 3 fused linear kernels, or 3 matmuls (+ bias adds); backward: matmuls and ReLU masks, all on the GPU.
    expect(ran(fused ? 'linear' : 'matmul'), 'forward kernels ran on the GPU').to.be.at.least(3);
    expect(ran('reluBackward'), 'ReLU masks ran on the GPU').to.equal(2);
    expect((gpu as GpuBackend).degraded).to.equal(false);

    for (const z of ref.preActivations) {
      expect(Math.min(...z.map(Math.abs)), 'no pre-activation at the ReLU kink').to.be.greaterThan(1e-4);
    }
    expect(Math.abs(got.loss - ref.loss)).to.be.at.most(RTOL * Math.abs(ref.loss));
    for (const [i, g] of ref.grads.entries()) {
      const scale = Math.max(...g.map(Math.abs));
      expect(scale, `grad ${i} is not trivially zero`).to.be.greaterThan(0);
      for (let j = 0; j < g.length; j++) {
        expect(Math.abs(got.grads[i][j] - g[j]), `grad ${i}[${j}]`).to.be.at.most(RTOL * scale);
      }
    }
  });
});
