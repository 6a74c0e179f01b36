/**
 * The data a comparison hands every scheme: the training subset, the signal batches and the anchor batch of
 * data-anchored schemes, all drawn from streams keyed by the seed only, so every scheme sees the same rows.
 */
import { createStream, type DataBatch } from '../../init/index.js';
import { permutation, type ClassLabels, type Dataset } from '../../nn/index.js';
import { tensor, type DType, type Tensor } from '../../tensor/index.js';
import { keyedSeed } from '../seeds.js';

/** The first `n` samples of `d` (views, no copy). */
export function headOf(d: Dataset<ClassLabels>, n: number): Dataset<ClassLabels> {
  const row = d.shape.slice(1).reduce((a, b) => a * b, 1);
  return { x: d.x.subarray(0, n * row), shape: [n, ...d.shape.slice(1)], y: { ...d.y, values: d.y.values.subarray(0, n) } };
}

/** A batch of labelled rows as the engine uses it: a tensor [b, d] and its labels. */
export interface LabelledBatch {
  readonly x: Tensor;
  readonly labels: Int32Array;
}

/** What one seed of a comparison draws from the data. */
export interface SeedData {
  /** `batches` batches of `batchSize` rows for the signal at init. */
  readonly signal: readonly LabelledBatch[];
  /** The anchor batch of data-anchored schemes (float64 rows, as src/init takes them). */
  readonly anchor: DataBatch;
}

/** The rows `idx` of `d` (float64 copies, in the order of idx) and their labels. */
function rowsOf(d: Dataset<ClassLabels>, idx: Int32Array): { x: Float64Array; row: number; labels: Int32Array } {
  const row = d.shape.slice(1).reduce((a, b) => a * b, 1);
  const x = new Float64Array(idx.length * row);
  const labels = new Int32Array(idx.length);
  idx.forEach((i, k) => {
    x.set(d.x.subarray(i * row, (i + 1) * row), k * row);
    labels[k] = d.y.values[i]!;
  });
  return { x, row, labels };
}

/**
 * The signal batches and the anchor batch of seed `seed`: one permutation of the rows of `d` from stream 0 of
 * keyedSeed('data', seed); its first batches·batchSize entries make the signal batches (in order), the next
 * `anchorSize` the anchor batch. The caller checked that `d` holds enough rows.
 */
export function seedData(d: Dataset<ClassLabels>, seed: number, batches: number, batchSize: number, anchorSize: number, dtype: DType): SeedData {
  const n = d.shape[0] as number;
  const perm = permutation(n, createStream(keyedSeed('data', seed), 0));
  const signal = Array.from({ length: batches }, (_, b) => {
    const r = rowsOf(d, perm.subarray(b * batchSize, (b + 1) * batchSize));
    return { x: tensor(r.x, [batchSize, r.row], { dtype }), labels: r.labels };
  });
  const start = batches * batchSize;
  const a = rowsOf(d, perm.subarray(start, start + anchorSize));
  return { signal, anchor: { x: a.x, shape: [anchorSize, a.row] } };
}
