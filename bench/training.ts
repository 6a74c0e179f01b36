/**
 * One SGD training step of an MLP 784-256-256-10 (ReLU, biases, mean cross-entropy) at batch 128: forward,
 * backward and update. initlab runs it on its public tensor ops (`linear`, `crossEntropy`, `backward`) on a chosen
 * backend; TF.js runs the same step with its ops and a hand-written backward (tfjs-core alone registers no
 * gradients), on tfjs-backend-cpu and tfjs-backend-wasm. All start from the same float32 weights and data, and
 * the first step's loss is compared so that a wrong step is reported rather than timed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropy, linear, setBackend, tensor, type Tensor } from '../src/index.js';
import { useTfjsBackend } from './contenders.js';

export const WIDTHS = [784, 256, 256, 10];
export const BATCH = 128;
const LR = 0.05;

/** Deterministic values in [-1, 1) (an LCG; only reproducibility matters here). */
function lcg(len: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(len);
  let s = seed >>> 0;
  for (let i = 0; i < len; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 31 - 1) * scale;
  }
  return out;
}

interface Problem {
  x: Float32Array;
  labels: Int32Array;
  /** Per layer: W [out, in] (PyTorch layout), b [out]. */
  layers: { w: Float32Array; b: Float32Array; inF: number; outF: number }[];
}

function problem(): Problem {
  const labels = new Int32Array(BATCH);
  for (let i = 0; i < BATCH; i++) labels[i] = (i * 7 + 3) % WIDTHS[WIDTHS.length - 1];
  const layers = WIDTHS.slice(1).map((outF, i) => ({
    inF: WIDTHS[i],
    outF,
    w: lcg(outF * WIDTHS[i], 100 + i, Math.sqrt(6 / WIDTHS[i])), // He-uniform scale
    b: lcg(outF, 200 + i, 0.01),
  }));
  return { x: lcg(BATCH * WIDTHS[0], 7), labels, layers };
}

/** A training step that returns the loss before its update, plus the flops of one step (3 products per layer). */
export interface Step {
  run: () => number;
}

/** The step on initlab's tensor ops, on `backend` (set before each step: the registry is global). */
export function initlabStep(backend: string): Step {
  const p = problem();
  const x = tensor(p.x, [BATCH, WIDTHS[0]]);
  const params: { w: Tensor; b: Tensor }[] = p.layers.map((l) => ({
    w: tensor(l.w, [l.outF, l.inF], { requiresGrad: true }),
    b: tensor(l.b, [l.outF], { requiresGrad: true }),
  }));
  const labels = Array.from(p.labels);
  return {
    run: () => {
      setBackend(backend);
      let h = x;
      params.forEach((l, i) => {
        h = linear(h, l.w, l.b, { relu: i < params.length - 1 });
      });
      const loss = crossEntropy(h, labels);
      loss.backward();
      for (const l of params) {
        for (const t of [l.w, l.b]) {
          const g = t.grad!.dense(); // set by backward(): every parameter is on the path to the loss
          const d = t.data;
          for (let i = 0; i < d.length; i++) d[i] -= LR * g[i];
          t.zeroGrad();
        }
      }
      return loss.item();
    },
  };
}

/** The same step in TF.js ops on `backend`, backward written out (softmax - onehot, ReLU masks, three products). */
export function tfjsStep(backend: 'cpu' | 'wasm'): Step {
  useTfjsBackend(backend);
  const p = problem();
  const x = tf.tensor2d(p.x, [BATCH, WIDTHS[0]]);
  const onehot = tf.cast(tf.oneHot(tf.tensor1d(p.labels, 'int32'), WIDTHS[WIDTHS.length - 1]), 'float32');
  const params = p.layers.map((l) => ({ w: tf.variable(tf.tensor2d(l.w, [l.outF, l.inF])), b: tf.variable(tf.tensor1d(l.b)) }));
  return {
    run: () => {
      useTfjsBackend(backend);
      const loss = tf.tidy(() => {
        const inputs: tf.Tensor2D[] = [x];
        const pre: tf.Tensor2D[] = [];
        params.forEach((l, i) => {
          const z = tf.add(tf.matMul(inputs[i], l.w, false, true), l.b) as tf.Tensor2D;
          pre.push(z);
          inputs.push(i < params.length - 1 ? tf.relu(z) : z);
        });
        const logits = inputs[params.length];
        const logp = tf.logSoftmax(logits);
        const lossValue = tf.neg(tf.mean(tf.sum(tf.mul(onehot, logp), 1)));
        let g = tf.div(tf.sub(tf.exp(logp), onehot), BATCH) as tf.Tensor2D;
        for (let i = params.length - 1; i >= 0; i--) {
          if (i < params.length - 1) g = tf.mul(g, tf.step(pre[i])) as tf.Tensor2D;
          const dW = tf.matMul(g, inputs[i], true, false);
          const db = tf.sum(g, 0);
          if (i > 0) g = tf.matMul(g, params[i].w);
          params[i].w.assign(tf.sub(params[i].w, tf.mul(dW, LR)));
          params[i].b.assign(tf.sub(params[i].b, tf.mul(db, LR)));
        }
        return lossValue;
      });
      const value = loss.dataSync()[0];
      loss.dispose();
      return value;
    },
  };
}

/** Flops of the three products per layer (forward, dx, dW) of one step; the first layer skips dx. */
export function stepFlops(): number {
  let f = 0;
  for (let i = 1; i < WIDTHS.length; i++) f += 2 * BATCH * WIDTHS[i - 1] * WIDTHS[i] * (i === 1 ? 2 : 3);
  return f;
}
