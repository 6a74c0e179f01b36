/**
 * One sweep job, pure and seeded: the network of (scheme, seed, widths) exactly as `compare` draws it, its signal at
 * init, the μP coordinate check (mean |activation| of each layer after steps 0..k) and a short training run. Same job,
 * same data, same backend → the same numbers, bit for bit (only `millis` differs).
 */
import { DataLoader, ReLU, type ClassLabels, type Dataset, type Sequential } from '../../nn/index.js';
import { noGrad, type Tensor } from '../../tensor/index.js';
import { headOf, seedData, type LabelledBatch } from '../compare/data.js';
import { DEFAULT_COMPARE } from '../compare/defaults.js';
import { errorText, schemeNetwork } from '../compare/run.js';
import { schemeSpec } from '../compare/schemes.js';
import { measureSignal } from '../compare/signal.js';
import { trainRun } from '../compare/train.js';
import type { CompareConfig, TrainRun } from '../compare/types.js';
import { schemeS } from '../compare/yardstick.js';
import { keyedSeed } from '../seeds.js';
import { jobKey } from './grid.js';
import type { CoordCheck, SweepJob, SweepJobResult, SweepRecord } from './types.js';

/** Rows of a test batch in evaluation (no gradient, so only memory bounds it). */
const TEST_BATCH = 500;

/** The data a job reads: classification train and test splits (at least trainSize / testSize rows). */
export interface SweepData {
  readonly train: Dataset<ClassLabels>;
  readonly test: Dataset<ClassLabels>;
}

function meanAbs(t: Tensor): number {
  const v = t.dense();
  let s = 0;
  for (let i = 0; i < v.length; i++) s += Math.abs(v[i] as number);
  return s / v.length;
}

/** Mean |x_l| after every ReLU and of the output, on `batch` (no gradient; the model is not changed). */
export function layerMeanAbs(model: Sequential, batch: LabelledBatch): number[] {
  return noGrad(() => {
    const out: number[] = [];
    let x = batch.x;
    for (const m of model.children()) {
      x = m.forward(x);
      if (m instanceof ReLU) out.push(meanAbs(x));
    }
    out.push(meanAbs(x));
    return out;
  });
}

/** Per-step losses regrouped into windows of `every` steps (the mean of each, recorded at its last step). */
function rewindow(t: TrainRun, every: number): TrainRun {
  const steps: number[] = [];
  const loss: number[] = [];
  for (let start = 0; start < t.loss.length; start += every) {
    const w = t.loss.slice(start, start + every);
    steps.push(t.steps[start + w.length - 1] as number);
    loss.push(w.reduce((a, b) => a + b, 0) / w.length);
  }
  return { ...t, steps, loss };
}

/**
 * The result of `job` on `data`: widths [d, width × depth, classes]; the network `schemeNetwork` draws for
 * (scheme, seed) with the seed's signal and anchor batches (`seedData`, one batch of signalBatchSize rows); the
 * SignalRun on that batch; then `trainRun` (the seed's batch order, keyedSeed('train', seed)) recording the mean
 * |activation| of every layer on the signal batch after steps 0..coordSteps — the coordinate check of Yang et al.
 * (Tensor Programs V, 2022), flat in width when the parametrization is width-stable. The loss is recorded per step
 * and regrouped into windows of logEvery steps as in `compare`.
 */
export function runJob(job: SweepJob, data: SweepData): SweepJobResult {
  const train = headOf(data.train, job.trainSize);
  const test = headOf(data.test, job.testSize);
  const d = train.shape.slice(1).reduce((a, b) => a * b, 1);
  const classes = Math.max(train.y.classes, test.y.classes);
  const widths = [d, ...Array.from({ length: job.depth }, () => job.width), classes];
  const spec = schemeSpec(job.scheme.name, job.scheme.options);
  const sd = seedData(train, job.seed, 1, job.signalBatchSize, job.anchorBatchSize, job.dtype);
  const model = schemeNetwork(spec, widths, job.seed, sd, job.dtype);
  const batch = sd.signal[0]!;
  const signal = measureSignal(model, sd.signal, schemeS(spec, job.sMoment));
  const coord: { steps: number[]; meanAbs: number[][] } = { steps: [0], meanAbs: [layerMeanAbs(model, batch)] };
  const cfg: CompareConfig = {
    ...DEFAULT_COMPARE, data: job.data, widths, schemes: [spec], seeds: [job.seed], signalBatches: 1, signalBatchSize: job.signalBatchSize,
    steps: job.steps, batchSize: job.batchSize, optimizer: job.optimizer, lr: job.lr, momentum: job.momentum,
    // Per-step records so the coordinate check sees steps 1..k; the loss is regrouped into job.logEvery windows below.
    logEvery: 1, testSize: job.testSize, trainSize: job.trainSize, sMoment: job.sMoment, dtype: job.dtype, anchorBatchSize: job.anchorBatchSize,
  };
  const loader = new DataLoader(train, { batchSize: job.batchSize, seed: keyedSeed('train', job.seed), dtype: job.dtype });
  const testLoader = new DataLoader(test, { batchSize: Math.min(TEST_BATCH, job.testSize), shuffle: false, dtype: job.dtype });
  const onLog = (step: number): void => {
    if (step > job.coordSteps) return;
    coord.steps.push(step);
    coord.meanAbs.push(layerMeanAbs(model, batch));
  };
  const tr = rewindow(trainRun(spec, model, cfg, loader, testLoader, onLog), job.logEvery);
  const layers = [...Array.from({ length: job.depth }, (_, l) => `hidden ${l + 1}`), 'output'];
  const cc: CoordCheck = { steps: coord.steps, layers, meanAbs: coord.meanAbs };
  return { signal, train: tr, coord: cc };
}

/** `runJob` as a log record: the result, or the error it threw (a failing job never ends the sweep). */
export function jobRecord(job: SweepJob, data: SweepData): SweepRecord {
  const t0 = performance.now();
  const key = jobKey(job);
  try {
    return { key, job, result: runJob(job, data), millis: performance.now() - t0 };
  } catch (e) {
    return { key, job, error: errorText(e), millis: performance.now() - t0 };
  }
}
