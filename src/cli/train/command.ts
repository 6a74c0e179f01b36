/**
 * `initlab train`: one scheme, one ReLU MLP, one optimizer, on MNIST or the user's data; a progress bar, a checkpoint
 * in `--out` (periodically with `--checkpoint-every`, and at the end), and `--resume` continuing bit-exactly.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setBackend } from '../../kernels/index.js';
import { DataLoader, evaluate, type Sequential } from '../../nn/index.js';
import { createProgress } from '../../nn/train/progress.js';
import { parseWidths } from '../arch.js';
import { backendFlag, jsonFlag, outFlag, seedFlag } from '../framework/common.js';
import { defineCommand, type CommandIo } from '../framework/command.js';
import { UsageError, type ParsedFlags } from '../framework/flags.js';
import { prepareOutDir } from '../framework/out.js';
import { schemeFromArg } from '../scheme-arg.js';
import { fingerprint, loadTrainData, type TrainData } from './data.js';
import {
  buildModel, buildOptimizer, checkResumable, loadRun, positionAt, saveRun, trainFrom, TRAIN_ACTIVATIONS, type Position, type TrainConfig,
} from './session.js';

const TRAIN_FLAGS = {
  scheme: { kind: 'string', default: 'kaiming_normal', metavar: 'NAME[:k=v…]', help: "initializer with options, e.g. fractional:s=1.5 or meanfield:gammas=1,0.5 ('initlab schemes')" },
  arch: { kind: 'string', default: '784-256-256-10', metavar: 'W0-…-WL', help: 'layer widths: inputs, hidden layers, classes' },
  activation: { kind: 'enum', values: TRAIN_ACTIVATIONS, default: 'relu', metavar: 'A', help: 'hidden activation:' },
  optimizer: { kind: 'enum', values: ['sgd', 'adam', 'adamw'] as const, default: 'sgd', metavar: 'O', help: '' },
  lr: { kind: 'float', min: 0, openMin: true, max: 10, default: 0.01, help: 'base learning rate' },
  lrRule: { kind: 'enum', values: ['auto', 'uniform', 'meanfield', 'scaling'] as const, default: 'auto', metavar: 'R', help: "per-layer rates (auto: the scheme's rule; scaling: Defazio–Bottou multipliers):" },
  momentum: { kind: 'float', min: 0, max: 0.999, default: 0.9, help: 'SGD momentum' },
  weightDecay: { kind: 'float', min: 0, max: 1, default: 0, help: 'weight decay (L2 for sgd/adam, decoupled for adamw)' },
  epochs: { kind: 'int', min: 1, max: 10_000, default: 1, help: 'passes over the training data (unless --steps)' },
  steps: { kind: 'int', min: 1, max: 1e9, help: 'optimizer steps in all (overrides --epochs)' },
  batch: { kind: 'int', min: 1, max: 1 << 16, default: 64, help: 'batch size' },
  data: { kind: 'string', metavar: 'FILES', help: 'your data: images.idx,labels.idx or a .csv with a label column; default MNIST' },
  labelColumn: { kind: 'string', default: 'label', metavar: 'NAME', help: 'label column of a CSV' },
  evalData: { kind: 'string', metavar: 'FILES', help: 'evaluation data in the format of --data (with MNIST: the test split)' },
  trainSize: { kind: 'int', min: 1, max: 60_000, default: 60_000, help: 'MNIST training samples used (the first N)' },
  testSize: { kind: 'int', min: 1, max: 10_000, default: 10_000, help: 'MNIST test samples evaluated (the first N)' },
  dtype: { kind: 'enum', values: ['float32', 'float64'] as const, default: 'float32', metavar: 'T', help: '' },
  checkpointEvery: { kind: 'int', min: 0, max: 1e9, default: 0, help: 'also write the checkpoint every N steps (0: only at the end)' },
  resume: { kind: 'string', metavar: 'FILE', help: 'continue from this checkpoint (same settings; --steps/--epochs is the new total)' },
  seed: seedFlag(0),
  backend: backendFlag(),
  out: outFlag('runs/train', 'folder for checkpoint.safetensors and train.json'),
  json: jsonFlag(),
} as const;

type TrainFlags = ParsedFlags<typeof TRAIN_FLAGS>;

/** What `initlab train --json` prints (and train.json holds). */
export interface TrainResult {
  readonly config: TrainConfig;
  readonly data: string;
  readonly resumedFrom: { readonly file: string; readonly step: number } | null;
  readonly position: Position;
  readonly totalSteps: number;
  /** Loss of every step from step 0. */
  readonly losses: readonly number[];
  /** Mean loss per epoch (of the steps run in it). */
  readonly epochLoss: readonly number[];
  readonly eval: { readonly loss: number; readonly accuracy: number; readonly samples: number } | null;
  readonly stopped: string | null;
  readonly checkpoint: string;
}

/** The config of the flags for `data` (the arch checked against the data's features and classes). */
function configOf(f: TrainFlags, data: TrainData): TrainConfig {
  const widths = parseWidths(f.arch, '--arch');
  const spec = schemeFromArg(f.scheme);
  const features = data.train.shape[1] as number;
  if (widths[0] !== features) throw new UsageError(`--arch ${f.arch} takes ${widths[0]} inputs, the data has ${features} features per sample`);
  const classes = Math.max(data.train.y.classes, data.eval?.y.classes ?? 0);
  if ((widths[widths.length - 1] as number) < classes) throw new UsageError(`--arch ${f.arch} has ${widths[widths.length - 1]} outputs, the labels need ${classes} classes`);
  const lrRule = f.lrRule === 'auto' ? spec.lrRule : f.lrRule === 'scaling' ? 'scaling-calculus' : f.lrRule;
  return {
    widths, scheme: spec.id, schemeName: spec.name, schemeOptions: spec.options, activation: f.activation, optimizer: f.optimizer, lr: f.lr,
    momentum: f.optimizer === 'sgd' ? f.momentum : 0, weightDecay: f.weightDecay, batch: f.batch, seed: f.seed, dtype: f.dtype, lrRule,
    data: fingerprint(data.train),
  };
}

function epochMeans(losses: readonly number[], perEpoch: number): number[] {
  const out: number[] = [];
  for (let e = 0; e * perEpoch < losses.length; e++) {
    const part = losses.slice(e * perEpoch, (e + 1) * perEpoch);
    out.push(part.reduce((a, b) => a + b, 0) / part.length);
  }
  return out;
}

function table(r: TrainResult): string {
  const lines = [`initlab train: ${r.config.widths.join('-')} ${r.config.activation} MLP, scheme ${r.config.scheme}, ${r.config.optimizer} lr ${r.config.lr} (${r.config.lrRule}), ${r.data}`];
  r.epochLoss.forEach((l, e) => lines.push(`  epoch ${String(e).padStart(3)}  mean train loss ${l.toFixed(4)}`));
  if (r.eval !== null) lines.push(`  eval: loss ${r.eval.loss.toFixed(4)}, accuracy ${(100 * r.eval.accuracy).toFixed(2)}% on ${r.eval.samples} samples`);
  if (r.stopped !== null) lines.push(`  stopped early: ${r.stopped}`);
  lines.push(`  ${r.position.step} of ${r.totalSteps} steps done; checkpoint ${r.checkpoint}`);
  return `${lines.join('\n')}\n`;
}

async function runTrain(f: TrainFlags, argv: readonly string[], io: CommandIo): Promise<number> {
  // Everything checkable without the data first: the architecture string, the scheme name, then the out folder.
  parseWidths(f.arch, '--arch');
  schemeFromArg(f.scheme);
  if (f.steps !== undefined && argv.some((a) => a === '--epochs' || a.startsWith('--epochs='))) throw new UsageError('give --steps or --epochs, not both');
  const dir = prepareOutDir(f.out);
  setBackend(f.backend);
  const data = loadTrainData(f);
  const cfg = configOf(f, data);
  const start = f.resume === undefined ? positionAt(0, 1) : checkResumable(f.resume, cfg);
  const model: Sequential = buildModel(cfg, data.train);
  const optimizer = buildOptimizer(cfg, model);
  const history = f.resume === undefined ? [] : loadRun(f.resume, model, optimizer, start);
  const perEpoch = new DataLoader(data.train, { batchSize: cfg.batch, shuffle: false }).length;
  const totalSteps = f.steps ?? f.epochs * perEpoch;
  if (start.step >= totalSteps) throw new UsageError(`--resume ${f.resume ?? ''} is already at step ${start.step}; ask for more with --steps (now ${totalSteps} in all)`);
  const file = join(dir, 'checkpoint.safetensors');
  const bar = createProgress(totalSteps, !f.json);
  if (start.step > 0) bar.update(start.step, history[history.length - 1] ?? NaN);
  let run;
  try {
    run = trainFrom(cfg, model, optimizer, data.train, start, history, totalSteps, (pos, loss, hist) => {
      bar.update(pos.step, loss);
      if (f.checkpointEvery > 0 && pos.step % f.checkpointEvery === 0) saveRun(file, cfg, model, optimizer, pos, hist);
    });
  } finally {
    bar.stop();
  }
  saveRun(file, cfg, model, optimizer, run.position, run.history);
  const ev = data.eval === null ? null : evaluate(model, new DataLoader(data.eval, { batchSize: 1000, shuffle: false }), 'cross_entropy');
  const result: TrainResult = {
    config: cfg, data: data.description, resumedFrom: f.resume === undefined ? null : { file: f.resume, step: start.step }, position: run.position,
    totalSteps, losses: run.history, epochLoss: epochMeans(run.history, perEpoch),
    eval: ev === null ? null : { loss: ev.loss, accuracy: ev.accuracy ?? 0, samples: ev.samples }, stopped: run.stopped, checkpoint: file,
  };
  writeFileSync(join(dir, 'train.json'), `${JSON.stringify(result, null, 1)}\n`);
  io.out(f.json ? `${JSON.stringify(result, null, 1)}\n` : table(result));
  return run.stopped === null ? 0 : 1;
}

/** The table entry of `initlab train`. */
export const trainCommand = defineCommand({
  name: 'train',
  summary: 'train one scheme on MNIST or your data; writes a checkpoint, --resume continues it bit-exactly',
  description:
    'A ReLU MLP (--arch) drawn by one initializer (--scheme with its options), trained with cross-entropy. The\n' +
    'checkpoint holds the weights, the optimizer state, the position in the data and the loss history, so a run\n' +
    'resumed with the same settings gives the same losses and weights as one never interrupted.',
  flags: TRAIN_FLAGS,
  examples: [
    'initlab train --scheme fractional:s=1.5 --epochs 2 --out runs/frac',
    'initlab train --data blobs.csv --label-column label --arch 4-32-32-3 --optimizer adam --lr 0.003 --steps 200',
    'initlab train --resume runs/frac/checkpoint.safetensors --epochs 3 --out runs/frac',
  ],
  run: (flags, { io, argv }) => runTrain(flags, argv, io),
});
