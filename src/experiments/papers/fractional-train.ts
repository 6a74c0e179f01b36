/**
 * The training part of `initlab experiment fractional`: the authors' MNIST setup (ReLU, 20 Linear layers
 * 784→64→…→64→10, plain SGD lr 0.01, batch 128, Normalize(0.5, 0.5), the asymptotic σ of their `yuanhan_normal_` with
 * s = 0.8) trained from the fractional init and from He (kaiming_normal) for a fixed budget of steps, on the same
 * batches in the same order; the claim compares the final training loss and the test accuracy, paired over seeds.
 */
import { InitlabError } from '../../core/errors.js';
import { createStream, initializeNetwork, sigmaS, torchDefaultBias, type InitOptions, type LayerTensors } from '../../init/index.js';
import {
  DataLoader, evaluate, fit, loadMnist, ReLU, Sequential, SGD, type Batch, type ClassLabels, type Dataset,
} from '../../nn/index.js';
import { linearFromValues } from '../../nn/layers/linear.js';
import type { Module } from '../../nn/module.js';
import { budgetCurve, budgetGrid } from '../compare/train.js';
import { keyedSeed } from '../seeds.js';
import { pairedDifference, tInterval } from '../stats.js';
import { ci, claimCase, claimOf, curveOf, fmt } from './summary.js';
import type { ClaimResult, FigureData, PresetOptions, TableData } from './types.js';
import { verdictForDirection } from './verdict.js';

/** Sizes of the training part: SGD steps, the window of the loss curve, the first trainSize / testSize MNIST images. */
export interface FractionalTrainSize {
  readonly steps: number;
  readonly logEvery: number;
  readonly trainSize: number;
  readonly testSize: number;
}

/** The authors' MNIST script for ReLU (`ReLU-MNIST.py`) [V:code]: widths, s, SGD rate, batch and their 30 epochs. */
const HIDDEN = 64;
export const AUTHORS_MNIST = {
  widths: [784, ...Array.from({ length: 19 }, () => HIDDEN), 10] as readonly number[],
  s: 0.8,
  lr: 0.01,
  batch: 128,
  epochs: 30,
} as const;

/**
 * Whether a ReLU follows the logit layer too. The authors' script applies it (so the logits fed to the cross-entropy
 * are ≥ 0); we follow it, because the claim is about the network they trained and both schemes get the same net.
 */
export const LOGIT_RELU = true;

/** A scheme of the training comparison. */
export interface TrainScheme {
  readonly key: 'fractional' | 'he';
  readonly label: string;
  readonly init: string;
  readonly options: InitOptions;
}

export const TRAIN_SCHEMES: readonly TrainScheme[] = [
  { key: 'fractional', label: `fractional s=${AUTHORS_MNIST.s} (authors-code σ)`, init: 'fractional', options: { act: 'relu', s: AUTHORS_MNIST.s, compat: 'authors-code' } },
  { key: 'he', label: 'He (kaiming_normal, relu)', init: 'kaiming_normal', options: { nonlinearity: 'relu' } },
];

/**
 * The float64 layers of the training network of `scheme` at `seed`: weights from the registry, drawn from the stream
 * keyed 'fractional/train/weights' for both schemes (the same standard normals, each scheme scaling them by its σ:
 * common random numbers, so the paired difference isolates the scale), and PyTorch's default biases U(±1/√fan_in)
 * from the stream keyed 'fractional/train/bias' (stream l for layer l), identical for both schemes as in the
 * authors' scripts, which re-draw the weights only.
 */
export function trainingLayers(scheme: TrainScheme, seed: number): LayerTensors[] {
  const w = AUTHORS_MNIST.widths;
  const shapes = w.slice(1).map((n, l) => [n, w[l]!]);
  const layers = initializeNetwork(scheme.init, shapes, createStream(keyedSeed('fractional/train/weights', seed), 0), { ...scheme.options, dtype: 'float64' });
  const bias = keyedSeed('fractional/train/bias', seed);
  return layers.map((layer, l) => ({ ...layer, b: torchDefaultBias(layer.shape, createStream(bias, l), { dtype: 'float64' }) }));
}

/** σ of the fractional weights of a layer with `fanIn` inputs: the authors' asymptotic formula (sigmaS, 'authors-code'). */
export const fractionalSigma = (fanIn: number): number => sigmaS('relu', fanIn, AUTHORS_MNIST.s, { compat: 'authors-code' });

/** The float32 network [Linear, ReLU, …, Linear(, ReLU)] of the given layers. */
function networkOf(layers: readonly LayerTensors[]): Sequential {
  const mods: Module[] = [];
  layers.forEach((layer, l) => {
    mods.push(linearFromValues(layer.W, layer.b, layer.shape as [number, number], { bias: true, dtype: 'float32', scale: 1 }));
    if (LOGIT_RELU || l + 1 < layers.length) mods.push(new ReLU());
  });
  return new Sequential(...mods);
}

/** A DataLoader that folds the dataset indices of every batch it yields into a 32-bit FNV-1a digest. */
class DigestLoader extends DataLoader<ClassLabels> {
  digest = 0x811c9dc5;
  override *epoch(e: number): Generator<Batch<ClassLabels>> {
    for (const b of super.epoch(e)) {
      for (const i of b.indices) this.digest = Math.imul(this.digest ^ i, 0x01000193) >>> 0;
      this.digest = Math.imul(this.digest ^ 0xffff, 0x01000193) >>> 0; // batch boundary
      yield b;
    }
  }
}

/** One training run: the windowed loss curve, final windowed loss, test metrics, and the digest of the batches seen. */
export interface TrainRecord {
  readonly seed: number;
  /** Windowed mean training loss on the grid of `trainGrid(size)` (NaN past an early stop). */
  readonly loss: number[];
  /** The last window's mean loss (NaN when the run stopped early: a diverged run has no final loss). */
  readonly finalLoss: number;
  readonly testAccuracy: number;
  readonly testLoss: number;
  readonly stopped: string | null;
  readonly batchDigest: number;
}

/** The x of the loss curves: the 0-based last step of each window (`budgetGrid`, as every training curve of initlab). */
export const trainGrid = (size: FractionalTrainSize): number[] => budgetGrid(size.steps, size.logEvery);

/**
 * Train `scheme` at `seed` for size.steps SGD steps on `train` in the order of the stream keyed
 * 'fractional/train/order' (the same for both schemes), then evaluate on `test`.
 */
export function trainFractionalRun(scheme: TrainScheme, seed: number, size: FractionalTrainSize, train: Dataset<ClassLabels>, test: Dataset<ClassLabels>): TrainRecord {
  const model = networkOf(trainingLayers(scheme, seed));
  const loader = new DigestLoader(train, { batchSize: AUTHORS_MNIST.batch, seed: keyedSeed('fractional/train/order', seed) });
  const r = fit(model, { data: loader, loss: 'cross_entropy', optimizer: new SGD(model.parameters(), { lr: AUTHORS_MNIST.lr }), steps: size.steps, progress: false });
  const curve = budgetCurve(r.steps, size.steps, size.logEvery, r.stopped !== null);
  const ev = evaluate(model, new DataLoader(test, { batchSize: 1000, shuffle: false }), 'cross_entropy');
  return {
    seed, loss: curve.loss, finalLoss: curve.final, testAccuracy: ev.accuracy ?? NaN, testLoss: ev.loss,
    stopped: r.stopped === null ? null : r.stopped.reason, batchDigest: loader.digest,
  };
}

/** What the training part adds to the preset. */
export interface FractionalTrainPart {
  readonly claim: ClaimResult;
  readonly table: TableData;
  readonly figure: FigureData;
  readonly setup: readonly (readonly [string, string])[];
}

/** Run the training comparison over `o.seeds`; `tick(label)` after each run. Throws if the schemes saw different batches. */
export function runFractionalTraining(o: PresetOptions, size: FractionalTrainSize, tick: (label: string) => void): FractionalTrainPart {
  // torchvision's ToTensor + Normalize(0.5, 0.5), as the authors' scripts: x = (p/255 − 0.5)/0.5 ∈ [−1, 1].
  const train = loadMnist({ split: 'train', normalize: 'half', limit: size.trainSize });
  const test = loadMnist({ split: 'test', normalize: 'half', limit: size.testSize });
  const runs = new Map<TrainScheme['key'], TrainRecord[]>(TRAIN_SCHEMES.map((sc) => [sc.key, []]));
  for (const seed of o.seeds) {
    for (const sc of TRAIN_SCHEMES) {
      runs.get(sc.key)!.push(trainFractionalRun(sc, seed, size, train, test));
      tick(`train ${sc.label} seed ${seed}`);
    }
  }
  const fr = runs.get('fractional')!, he = runs.get('he')!;
  fr.forEach((r, i) => {
    if (r.batchDigest !== he[i]!.batchDigest) throw new InitlabError(`fractional preset: the two schemes saw different batches at seed ${r.seed}`);
  });
  const c = o.confidence;
  const pick = (rs: readonly TrainRecord[], f: (r: TrainRecord) => number): { seed: number; value: number }[] => rs.map((r) => ({ seed: r.seed, value: f(r) }));
  const accIv = pairedDifference(pick(fr, (r) => r.testAccuracy), pick(he, (r) => r.testAccuracy), c);
  const lossIv = pairedDifference(pick(he, (r) => r.finalLoss), pick(fr, (r) => r.finalLoss), c);
  const budget = `${size.steps} SGD steps (batch ${AUTHORS_MNIST.batch}, ${fmt((size.steps * AUTHORS_MNIST.batch) / size.trainSize)} epochs of ${size.trainSize} images)`;
  const claim = claimOf('mnist-training',
    `Training the authors' deep ReLU net on MNIST from the fractional init (s = ${AUTHORS_MNIST.s}) gives a lower training loss and a higher test accuracy than from He after the same budget (here ${budget}).`,
    "[V:abs] (the abstract reports gains in training and test performance from the initialization; the paper's numbers were not available) and [V:sum] (better MNIST training and test accuracy); the net, s, σ, optimiser, batch and preprocessing are the authors' [V:code], and their ReLU σ² = 2/n + 5(2 − s)/(2n²) is initlab's large-n expansion [D]; the shorter budget, the windowed loss and the coupled weight draws are initlab's",
    `paired over seeds (same weights' normals, biases and batches for both schemes): the Student-t interval of (fractional − He) test accuracy and of (He − fractional) final training loss (mean over the last ${size.logEvery} steps); held when it lies above the margin 0 (fixed beforehand), did not hold when at or below 0`,
    [
      claimCase('test accuracy: fractional − He', accIv, '> 0', verdictForDirection(accIv, 'greater')),
      claimCase(`final training loss (last ${size.logEvery} steps): He − fractional`, lossIv, '> 0', verdictForDirection(lossIv, 'greater')),
    ]);
  const row = (sc: TrainScheme): string[] => {
    const rs = runs.get(sc.key)!;
    return [sc.label, fmt(sc.key === 'he' ? Math.sqrt(2 / HIDDEN) : fractionalSigma(HIDDEN)), ci(tInterval(rs.map((r) => r.loss[0]!), c)), ci(tInterval(rs.map((r) => r.finalLoss), c)),
      ci(tInterval(rs.map((r) => r.testAccuracy), c)), ci(tInterval(rs.map((r) => r.testLoss), c)), String(rs.filter((r) => r.stopped !== null).length)];
  };
  const table: TableData = {
    title: `MNIST after ${budget}: mean [interval] over ${o.seeds.length} seeds`,
    head: ['scheme', `σ (${HIDDEN} inputs)`, `first ${size.logEvery} steps loss`, `final loss (last ${size.logEvery} steps)`, `test accuracy (${size.testSize} images)`, 'test loss', 'stopped'],
    rows: TRAIN_SCHEMES.map(row),
  };
  const grid = trainGrid(size);
  const figure: FigureData = {
    id: 'fractional-train-loss', title: 'MNIST training loss vs steps (fractional s = 0.8 vs He)',
    caption: `Mean training loss over windows of ${size.logEvery} steps (mean over seeds, ${c * 100}% interval band, thin lines: seeds); both schemes see the same batches in the same order.`,
    xTitle: 'step', yTitle: 'training loss', logY: true,
    panels: [{ title: `784-${HIDDEN}×19-10, ReLU, SGD lr ${AUTHORS_MNIST.lr}`, curves: TRAIN_SCHEMES.map((sc) => curveOf(sc.label, grid, runs.get(sc.key)!.map((r) => ({ seed: r.seed, y: r.loss })), c)) }],
  };
  const setup: [string, string][] = [
    ['training network', `the authors' MNIST net: ${AUTHORS_MNIST.widths.length - 1} Linear layers ${AUTHORS_MNIST.widths[0]}→${HIDDEN}→…→${HIDDEN}→10 with ReLU after every layer, the logit layer included (as in their script; the cross-entropy sees logits ≥ 0, and an all-zero output counts as class 0 for accuracy)`],
    ['training init', `fractional: σ² = 2/n + 5(2 − s)/(2n²), n = fan_in, s = ${AUTHORS_MNIST.s} (compat 'authors-code'); He: kaiming_normal (relu); weights only, biases PyTorch's default U(±1/√fan_in), the same for both; both schemes scale the same standard normals (initlab's coupling)`],
    ['training', `plain SGD lr ${AUTHORS_MNIST.lr} (no momentum), batch ${AUTHORS_MNIST.batch}, cross-entropy, ${budget}; the authors ran ${AUTHORS_MNIST.epochs} epochs, the budget is initlab's`],
    ['training data', `the first ${size.trainSize} MNIST training images (shuffled per epoch, the same order for both schemes) and the first ${size.testSize} test images, Normalize(0.5, 0.5): x = 2p/255 − 1`],
  ];
  return { claim, table, figure, setup };
}
