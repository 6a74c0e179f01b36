/**
 * `initlab sweep`: a grid of hidden widths × depths × schemes × seeds, every job on a worker thread (piscina), each
 * result appended to `<out>/sweep.jsonl` as it arrives — a rerun skips the jobs found there, so an interrupted sweep
 * resumes — then the report `<out>/<timestamp>/` with loss vs width and the μP coordinate check per scheme.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { getBackend, setBackend } from '../../kernels/index.js';
import { dataChecksum, runSweep, sweepCells, widthFindings, type SweepConfig } from '../../experiments/sweep/index.js';
import { sweepReportFiles, sweepTable } from '../../report/sweep-report.js';
import { findingsText, formatTable } from '../../report/tables.js';
import { backendFlag, jsonFlag, outFlag, seedFlag } from '../framework/common.js';
import { defineCommand, type CommandIo } from '../framework/command.js';
import { prepareOutDir } from '../framework/out.js';
import { UsageError, type ParsedFlags } from '../framework/flags.js';
import { schemeFromArg } from '../scheme-arg.js';
import { loadTrainData } from '../train/data.js';
import { reportLines, studyProgress, writeStudyReport } from './report-out.js';
import { readGridFile, type GridFile } from './sweep-grid.js';

/** The default grid: MNIST, 4 widths × depth 3 × 3 schemes × 3 seeds (36 jobs), 100 steps each. */
export const SWEEP_DEFAULTS = {
  widths: [32, 64, 128, 256], depths: [3], schemes: ['kaiming_normal', 'xavier_normal', 'meanfield:gammas=1'], seeds: 3,
  steps: 100, batch: 64, optimizer: 'sgd' as 'sgd' | 'adam', lr: 0.05, momentum: 0.9, logEvery: 10, coordSteps: 5,
  signalBatch: 256, anchorBatch: 800, trainSize: 5000, testSize: 1000,
};
const D = SWEEP_DEFAULTS;

const SWEEP_FLAGS = {
  grid: { kind: 'string', metavar: 'FILE', help: 'the grid as JSON: { "widths": [..], "depths": [..], "schemes": ["name:k=v", ..], "seeds": [..], "steps", "lr", … }; a key given here and as a flag is an error' },
  widths: { kind: 'list', of: 'int', min: 1, max: 8192, metavar: 'w1,w2,…', help: `hidden widths swept (default ${D.widths.join(',')})` },
  depths: { kind: 'list', of: 'int', min: 1, max: 1000, metavar: 'd1,d2,…', help: `numbers of hidden layers swept (default ${D.depths.join(',')})` },
  scheme: { kind: 'string', repeat: true, metavar: 'NAME[:k=v…]', help: `a scheme with its options (default: ${D.schemes.join(', ')})` },
  seeds: { kind: 'int', min: 1, max: 1000, help: `seeds per cell: --seed, --seed+1, … (default ${D.seeds})` },
  steps: { kind: 'int', min: 1, max: 1e7, help: `training steps per job (default ${D.steps})` },
  batch: { kind: 'int', min: 1, max: 1 << 16, help: `training batch size (default ${D.batch})` },
  optimizer: { kind: 'enum', values: ['sgd', 'adam'] as const, metavar: 'O', help: `(default ${D.optimizer})` },
  lr: { kind: 'float', min: 0, openMin: true, max: 10, help: `base learning rate (default ${D.lr})` },
  momentum: { kind: 'float', min: 0, max: 0.999, help: `SGD momentum (default ${D.momentum})` },
  logEvery: { kind: 'int', min: 1, max: 1e6, help: `steps per recorded point of the loss curve (default ${D.logEvery})` },
  coordSteps: { kind: 'int', min: 0, max: 1000, help: `coordinate check: mean |activation| recorded after steps 0..K (default ${D.coordSteps})` },
  signalBatch: { kind: 'int', min: 1, max: 1 << 16, default: D.signalBatch, help: 'rows of the batch the signal at init and the coordinate check are measured on' },
  anchorBatch: { kind: 'int', min: 1, max: 1 << 16, default: D.anchorBatch, help: 'rows handed to data-anchored schemes (lps_r) at init' },
  data: { kind: 'string', metavar: 'FILES', help: 'your data: images.idx,labels.idx or a .csv with a label column; default MNIST' },
  labelColumn: { kind: 'string', default: 'label', metavar: 'NAME', help: 'label column of a CSV' },
  evalData: { kind: 'string', metavar: 'FILES', help: 'test data in the format of --data (required with --data)' },
  trainSize: { kind: 'int', min: 1, max: 1e7, default: D.trainSize, help: 'training samples drawn from (the first N)' },
  testSize: { kind: 'int', min: 1, max: 1e7, default: D.testSize, help: 'test samples evaluated (the first N)' },
  confidence: { kind: 'float', min: 0.5, max: 0.999, default: 0.95, help: 'level of every interval' },
  dtype: { kind: 'enum', values: ['float32', 'float64'] as const, default: 'float32', metavar: 'T', help: '' },
  workers: { kind: 'int', min: 1, max: 256, help: 'worker threads (default: the available cores, os.availableParallelism())' },
  seed: seedFlag(1),
  backend: { ...backendFlag(), default: 'cpu', help: 'kernel backend of every job (cpu: each worker thread computes on its own core)' },
  out: outFlag('sweeps', 'the log DIR/sweep.jsonl (reused on a rerun: finished jobs are skipped) and the report DIR/<timestamp>/'),
  json: jsonFlag(),
} as const;

type SweepFlags = ParsedFlags<typeof SWEEP_FLAGS>;

/** A grid key from the flag or the file (never both), else the default. */
function pick<T>(flag: T | undefined, file: T | undefined, dflt: T, name: string): T {
  if (flag !== undefined && file !== undefined) throw new UsageError(`${name} is given both as a flag and in the --grid file; give it once`);
  return flag ?? file ?? dflt;
}

/** The grid of the flags and the grid file: hidden widths, depths, scheme strings, seeds and the training budget. */
export function sweepGrid(f: SweepFlags, g: GridFile): { widths: number[]; depths: number[]; schemes: string[]; seeds: number[]; steps: number; batch: number; optimizer: 'sgd' | 'adam'; lr: number; momentum: number; logEvery: number; coordSteps: number } {
  const seedList = f.seeds === undefined ? undefined : Array.from({ length: f.seeds }, (_, k) => f.seed + k);
  const steps = pick(f.steps, g.steps, D.steps, '--steps');
  const coordSteps = pick(f.coordSteps, g.coordSteps, Math.min(D.coordSteps, steps), '--coord-steps');
  if (coordSteps > steps) throw new UsageError(`--coord-steps must be at most --steps = ${steps}, got ${coordSteps}`);
  return {
    widths: pick(f.widths, g.widths, D.widths, '--widths'),
    depths: pick(f.depths, g.depths, D.depths, '--depths'),
    schemes: pick(f.scheme.length > 0 ? f.scheme : undefined, g.schemes, D.schemes, '--scheme'),
    seeds: pick(seedList, g.seeds, Array.from({ length: D.seeds }, (_, k) => f.seed + k), '--seeds'),
    steps,
    batch: pick(f.batch, g.batch, D.batch, '--batch'),
    optimizer: pick(f.optimizer, g.optimizer, D.optimizer, '--optimizer'),
    lr: pick(f.lr, g.lr, D.lr, '--lr'),
    momentum: pick(f.momentum, g.momentum, D.momentum, '--momentum'),
    logEvery: pick(f.logEvery, g.logEvery, D.logEvery, '--log-every'),
    coordSteps,
  };
}

async function runSweepCommand(f: SweepFlags, argv: readonly string[], io: CommandIo): Promise<number> {
  // Everything checkable without data first: the grid, the schemes, the out folder; then the data, then the work.
  const g = sweepGrid(f, f.grid === undefined ? {} : readGridFile(f.grid));
  const schemes = g.schemes.map((s) => schemeFromArg(s));
  const ids = schemes.map((s) => s.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw new UsageError(`scheme ${twice} is listed twice; list each scheme once`);
  if (f.data !== undefined && f.evalData === undefined) throw new UsageError('--data needs --eval-data (the test set the accuracy is measured on)');
  if (f.signalBatch + f.anchorBatch > f.trainSize) throw new UsageError(`--train-size must be at least --signal-batch + --anchor-batch = ${f.signalBatch + f.anchorBatch}, got ${f.trainSize}`);
  const out = prepareOutDir(f.out);
  setBackend(f.backend);
  const data = loadTrainData({ data: f.data, evalData: f.evalData, labelColumn: f.labelColumn, trainSize: f.trainSize, testSize: f.testSize });
  const test = data.eval;
  if (test === null) throw new UsageError('no test data (give --eval-data with --data)');
  const rows = data.train.shape[0] as number;
  if (rows < f.trainSize) throw new UsageError(`--data holds ${rows} training samples; --train-size asks for ${f.trainSize}`);
  if ((test.shape[0] as number) < f.testSize) throw new UsageError(`--eval-data holds ${test.shape[0]} samples; --test-size asks for ${f.testSize}`);
  const cfg: SweepConfig = {
    data: data.description, dataChecksum: dataChecksum(data.train, test),
    widths: g.widths, depths: g.depths, schemes, seeds: g.seeds,
    steps: g.steps, batchSize: g.batch, optimizer: g.optimizer, lr: g.lr, momentum: g.momentum, logEvery: g.logEvery, coordSteps: g.coordSteps,
    signalBatchSize: f.signalBatch, anchorBatchSize: f.anchorBatch, trainSize: f.trainSize, testSize: f.testSize,
    sMoment: 2, confidence: f.confidence, dtype: f.dtype, backend: getBackend().name,
  };
  const workers = f.workers ?? availableParallelism();
  const log = join(out, 'sweep.jsonl');
  const jobs = cfg.widths.length * cfg.depths.length * cfg.schemes.length * cfg.seeds.length;
  io.err(`initlab sweep: widths ${cfg.widths.join(',')} × depths ${cfg.depths.join(',')} × ${cfg.schemes.length} schemes × ${cfg.seeds.length} seeds = ${jobs} jobs on ${cfg.data}; ${workers} workers; log ${log}\n`);
  const progress = studyProgress('sweep', !f.json, process.stderr);
  let result;
  try {
    result = await runSweep(cfg, { train: data.train, test }, {
      log, workers, onProgress: progress.onProgress, onWarning: (m) => io.err(`initlab sweep: warning: ${m}\n`), command: ['initlab sweep', ...argv].join(' '),
    });
  } finally {
    progress.stop();
  }
  const dir = writeStudyReport(out, result.meta.started, await sweepReportFiles(result));
  const cells = sweepCells(result);
  if (f.json) io.out(`${JSON.stringify({ ...result, cells }, null, 1)}\n`);
  else io.out(`\n${formatTable(sweepTable(cells))}\n\nFindings:\n${findingsText(widthFindings(result, cells))}\n\n`);
  io.err(`${result.ran} jobs run, ${result.skipped} found in the log, in ${(result.meta.millis / 1000).toFixed(1)} s\n`);
  reportLines(dir, io);
  return 0;
}

/** The table entry of `initlab sweep`. */
export const sweepCommand = defineCommand({
  name: 'sweep',
  summary: 'a grid of widths × depths × schemes × seeds on every core: loss vs width, μP coordinate check, resumable log',
  description:
    'Every job (one scheme, seed, width and depth) is pure and seeded: the network as compare draws it, its signal at\n' +
    'init, the mean |activation| of each layer after training steps 0..K (the coordinate check of maximal-update\n' +
    'parametrization: flat in width when the scale is right) and a short training run. Jobs run on worker threads;\n' +
    'each result is appended to DIR/sweep.jsonl keyed by its configuration, so a rerun (after a kill, or with a larger\n' +
    'grid) runs only the jobs not yet there. A job that fails is recorded with its error and the sweep goes on.',
  flags: SWEEP_FLAGS,
  examples: [
    'initlab sweep                                        # the default grid on MNIST, all cores',
    'initlab sweep --widths 64,128,256,512 --depths 2,4 --scheme kaiming_normal --scheme meanfield:gammas=1 --seeds 3',
    'initlab sweep --grid grid.json --workers 2 --out sweeps/mine   # rerun the same line to resume',
  ],
  run: (flags, { io, argv }) => runSweepCommand(flags, argv, io),
});
