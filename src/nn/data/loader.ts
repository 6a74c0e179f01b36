/**
 * Mini-batches of a Dataset as tensors, with seeded shuffling: epoch e visits the samples in the order of a
 * Fisher–Yates permutation drawn from stream e of the seed (`createStream(seed, e)` of src/init), so any epoch can be
 * replayed on its own and two loaders with the same seed give the same batches.
 */
import { DomainError, describe } from '../../core/errors.js';
import { allocate, resolveDType, type DType } from '../../core/index.js';
import { booleanParam, checkedOptions, createStream, optionKeys, positiveIntParam, seedToUint64, type Seed } from '../../init/index.js';
import { Tensor } from '../../tensor/index.js';
import { checkDataset, datasetSize, permutation, type ClassLabels, type Dataset, type DatasetY } from './dataset.js';

/** Options of `DataLoader`. */
export interface DataLoaderOptions {
  /** Samples per batch (a positive integer). */
  readonly batchSize: number;
  /** Shuffle every epoch (default true); needs `seed`. Without it batches follow the dataset order. */
  readonly shuffle?: boolean;
  /** Seed of the shuffling (a safe integer or a bigint); required when shuffling. */
  readonly seed?: Seed;
  /** Drop the last batch when it is smaller than batchSize (default false). */
  readonly dropLast?: boolean;
  /** dtype of the batch tensors (x, and targets of a regression set); default 'float32'. */
  readonly dtype?: DType;
}

/** A batch: inputs [b, …], and labels (Int32Array, for `crossEntropy`) or targets (Tensor [b, …], for `mse`). */
export interface Batch<Y extends DatasetY = DatasetY> {
  readonly x: Tensor;
  readonly y: Y extends ClassLabels ? Int32Array : Tensor;
  /** Dataset indices of the batch's samples, in batch order. */
  readonly indices: Int32Array;
}

const LOADER_KEYS = optionKeys<DataLoaderOptions>({ batchSize: true, shuffle: true, seed: true, dropLast: true, dtype: true });

/**
 * Iterates a dataset in mini-batches. `epoch(e)` yields ⌈n / batchSize⌉ batches (⌊n / batchSize⌋ with dropLast) that
 * together hold every sample exactly once (all but the n mod batchSize dropped ones with dropLast). Rows are
 * copied into fresh tensors, so batches may be kept and modified. The constructor checks the dataset's layout
 * (`checkDataset`: x, shape and y agree) before the options, with typed errors naming `dataset.…`.
 *
 *     const loader = new DataLoader(twoMoons(512, { seed: 1 }), { batchSize: 64, seed: 7 });
 *     for (let e = 0; e < 10; e++) for (const { x, y } of loader.epoch(e)) { … crossEntropy(model(x), y) … }
 */
export class DataLoader<Y extends DatasetY = DatasetY> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly dtype: DType;
  private readonly seed: bigint | null;
  private readonly rowLen: number;
  private readonly yLen: number;

  constructor(
    readonly dataset: Dataset<Y>,
    options: DataLoaderOptions,
  ) {
    checkDataset(dataset, 'dataset');
    const o = checkedOptions('DataLoader', options, LOADER_KEYS);
    this.batchSize = positiveIntParam('options.batchSize', o['batchSize']);
    this.shuffle = booleanParam('options.shuffle', o['shuffle'], true);
    this.dropLast = booleanParam('options.dropLast', o['dropLast'], false);
    this.dtype = resolveDType(o['dtype'], 'options.dtype');
    if (this.shuffle && o['seed'] === undefined) {
      throw new DomainError('options.seed is required when options.shuffle is true (every random draw takes an explicit seed)');
    }
    this.seed = o['seed'] === undefined ? null : seedToUint64(o['seed'] as Seed, 'options.seed');
    this.rowLen = dataset.shape.slice(1).reduce((a, b) => a * b, 1);
    this.yLen = dataset.y.kind === 'targets' ? dataset.y.shape.reduce((a, b) => a * b, 1) : 1;
  }

  /** Batches per epoch. */
  get length(): number {
    const n = datasetSize(this.dataset);
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The order in which epoch `e` visits the samples: a permutation of 0 … n−1 (the identity without shuffling). */
  order(epoch: number): Int32Array {
    if (!Number.isSafeInteger(epoch) || epoch < 0) throw new DomainError(`epoch must be an integer ≥ 0, got ${describe(epoch)}`);
    const n = datasetSize(this.dataset);
    if (this.seed === null || !this.shuffle) return Int32Array.from({ length: n }, (_, i) => i);
    return permutation(n, createStream(this.seed, epoch));
  }

  /** The batches of epoch `e` (e = 0, 1, …), in order. */
  *epoch(epoch: number): Generator<Batch<Y>> {
    const order = this.order(epoch);
    for (let k = 0; k < this.length; k++) {
      yield this.batch(order.subarray(k * this.batchSize, Math.min(order.length, (k + 1) * this.batchSize)));
    }
  }

  /** The batch of the given dataset indices (valid by construction: a slice of `order`), copies of their rows. */
  private batch(indices: Int32Array): Batch<Y> {
    const { x, y, shape } = this.dataset;
    const b = indices.length;
    const r = this.rowLen;
    const xs = allocate(b * r, this.dtype);
    for (let k = 0; k < b; k++) xs.set(x.subarray(indices[k]! * r, (indices[k]! + 1) * r), k * r);
    const xt = new Tensor(xs, [b, ...shape.slice(1)]);
    let yb: Int32Array | Tensor;
    if (y.kind === 'labels') {
      yb = new Int32Array(b);
      for (let k = 0; k < b; k++) yb[k] = y.values[indices[k]!]!;
    } else {
      const m = this.yLen;
      const ys = allocate(b * m, this.dtype);
      for (let k = 0; k < b; k++) ys.set(y.values.subarray(indices[k]! * m, (indices[k]! + 1) * m), k * m);
      yb = new Tensor(ys, [b, ...y.shape]);
    }
    // The conditional type of Batch['y'] cannot be narrowed from y.kind by the compiler; the branch above matches it.
    return { x: xt, y: yb as Batch<Y>['y'], indices: Int32Array.from(indices) };
  }
}
