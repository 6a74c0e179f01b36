/**
 * `initlab compare` (also `run`, and what `npm start` runs): every scheme on one ReLU MLP over K seeds — signal
 * propagation at init on real data batches, then a fixed-budget training run — a ranked table with intervals, the
 * findings the intervals support, and the report folder (index.html with the plots, results.json with every number).
 */
import { setBackend } from '../../kernels/index.js';
import { DEFAULT_COMPARE, DEFAULT_SCHEMES, runCompare, type CompareConfig } from '../../experiments/compare/index.js';
import { compareReportFiles } from '../../report/compare-report.js';
import { compareLegend, compareTable, findingsText, wrap } from '../../report/tables.js';
import { parseWidths } from '../arch.js';
import { confidenceFlag, dtypeFlag, reportCommandFlags } from '../framework/common.js';
import { defineCommand, type CommandIo } from '../framework/command.js';
import { UsageError, type ParsedFlags } from '../framework/flags.js';
import { schemeFromArg } from '../scheme-arg.js';
import { loadTrainData } from '../train/data.js';
import { checkedOut, reportLines, studyProgress, writeStudyReport } from './report-out.js';

const D = DEFAULT_COMPARE;
const hidden = D.widths.slice(1, -1);

/** `--quick`: a small net, 5 schemes, 60 steps — a look in seconds (and what the CLI test runs). */
const QUICK = { depth: 4, width: 32, steps: 60, trainSize: 2000, testSize: 500, signalBatches: 1, schemes: ['kaiming_normal', 'xavier_normal', 'fractional:s=1:act=relu', 'geometric', 'meanfield:gammas=0.5:outputInit=centered'] };

const COMPARE_FLAGS = {
  scheme: { kind: 'string', repeat: true, metavar: 'NAME[:k=v…]', help: `a scheme with its options (default: the ${DEFAULT_SCHEMES.length} default schemes)` },
  seeds: { kind: 'int', min: 2, max: 1000, default: D.seeds.length, help: 'seeds per scheme: --seed, --seed+1, … (intervals need ≥ 2; ≥ 3 advised)' },
  depth: { kind: 'int', min: 1, max: 1000, help: `hidden layers (default ${hidden.length})` },
  width: { kind: 'int', min: 1, max: 8192, help: `hidden width (default ${hidden[0]})` },
  steps: { kind: 'int', min: 1, max: 1e7, help: `SGD steps per run (default ${D.steps})` },
  batch: { kind: 'int', min: 1, max: 1 << 16, default: D.batchSize, help: 'training batch size' },
  optimizer: { kind: 'enum', values: ['sgd', 'adam'] as const, default: D.optimizer, metavar: 'O', help: '' },
  lr: { kind: 'float', min: 0, openMin: true, max: 10, default: D.lr, help: 'base learning rate (mean-field schemes scale it per layer)' },
  momentum: { kind: 'float', min: 0, max: 0.999, default: D.momentum, help: 'SGD momentum' },
  logEvery: { kind: 'int', min: 1, max: 1e6, default: D.logEvery, help: 'steps per recorded point of the loss curve' },
  data: { kind: 'string', metavar: 'FILES', help: 'your data: images.idx,labels.idx or a .csv with a label column; default MNIST' },
  labelColumn: { kind: 'string', default: 'label', metavar: 'NAME', help: 'label column of a CSV' },
  evalData: { kind: 'string', metavar: 'FILES', help: 'test data in the format of --data (required with --data)' },
  trainSize: { kind: 'int', min: 1, max: 1e7, help: `training samples drawn from (the first N; default ${D.trainSize})` },
  testSize: { kind: 'int', min: 1, max: 1e7, help: `test samples evaluated (the first N; default ${D.testSize})` },
  confidence: confidenceFlag(D.confidence),
  dtype: dtypeFlag(D.dtype),
  quick: { kind: 'boolean', help: `a small look in seconds (depth ${QUICK.depth}, width ${QUICK.width}, ${QUICK.steps} steps, ${QUICK.schemes.length} schemes) unless flags say otherwise` },
  ...reportCommandFlags(D.seeds[0] as number),
} as const;

type CompareFlags = ParsedFlags<typeof COMPARE_FLAGS>;

/** The CompareConfig the flags ask for (every flag already in range; schemes resolved against the registry). */
export function compareConfigFromFlags(f: CompareFlags, data: string, inputDim: number, classes: number): CompareConfig {
  const q = f.quick;
  const depth = f.depth ?? (q ? QUICK.depth : hidden.length);
  const width = f.width ?? (q ? QUICK.width : (hidden[0] as number));
  const schemes = f.scheme.length > 0 ? f.scheme.map((s) => schemeFromArg(s)) : q ? QUICK.schemes.map((s) => schemeFromArg(s)) : DEFAULT_SCHEMES;
  return {
    ...D,
    data,
    widths: [inputDim, ...parseWidths(Array.from({ length: depth }, () => width).join('-'), '--width'), classes],
    schemes,
    seeds: Array.from({ length: f.seeds }, (_, k) => f.seed + k),
    signalBatches: q ? QUICK.signalBatches : D.signalBatches,
    steps: f.steps ?? (q ? QUICK.steps : D.steps),
    batchSize: f.batch,
    optimizer: f.optimizer,
    lr: f.lr,
    momentum: f.momentum,
    logEvery: f.logEvery,
    trainSize: f.trainSize ?? (q ? QUICK.trainSize : D.trainSize),
    testSize: f.testSize ?? (q ? QUICK.testSize : D.testSize),
    confidence: f.confidence,
    dtype: f.dtype,
  };
}

async function runCompareCommand(f: CompareFlags, argv: readonly string[], io: CommandIo): Promise<number> {
  // Everything checkable without data first: the schemes, then the out folder; then the data, then the work.
  f.scheme.forEach((s) => schemeFromArg(s));
  if (f.data !== undefined && f.evalData === undefined) throw new UsageError('--data needs --eval-data (the test set the accuracy is measured on)');
  const out = checkedOut(f.out);
  setBackend(f.backend);
  const sizes = { trainSize: f.trainSize ?? (f.quick ? QUICK.trainSize : D.trainSize), testSize: f.testSize ?? (f.quick ? QUICK.testSize : D.testSize) };
  const data = loadTrainData({ data: f.data, evalData: f.evalData, labelColumn: f.labelColumn, ...sizes });
  const test = data.eval;
  if (test === null) throw new UsageError('no test data (give --eval-data with --data)');
  const cfg = compareConfigFromFlags(f, data.description, data.train.shape[1] as number, Math.max(data.train.y.classes, test.y.classes));
  const c = cfg;
  io.err(`initlab compare: ReLU MLP ${c.widths.join('-')} on ${c.data}; ${c.schemes.length} schemes × ${c.seeds.length} seeds; ${c.steps} ${c.optimizer} steps of batch ${c.batchSize}; ${c.dtype}\n`);
  const progress = studyProgress('compare', !f.json, process.stderr);
  let result;
  try {
    result = runCompare(cfg, { train: data.train, test }, { onProgress: progress.onProgress, command: ['initlab compare', ...argv].join(' ') });
  } finally {
    progress.stop();
  }
  const dir = writeStudyReport(out, result.meta.started, await compareReportFiles(result));
  if (f.json) io.out(`${JSON.stringify(result, null, 1)}\n`);
  else io.out(`\n${compareTable(result)}\n${wrap(compareLegend(result))}\n\nFindings:\n${findingsText(result.findings)}\n\n`);
  reportLines(dir, io);
  return 0;
}

/** The table entry of `initlab compare` (`run` is its alias; `npm start` runs it with the defaults). */
export const compareCommand = defineCommand({
  name: 'compare',
  aliases: ['run'],
  summary: 'the main job: every scheme on MNIST over seeds — signal at init, training, ranked table, HTML report',
  description:
    'Each scheme draws its weights from a stream keyed by its id and the seed (never by its position), and every\n' +
    'scheme sees the same data batches. Every figure shows the spread over seeds; a finding such as "X beats Y" is\n' +
    'printed only when the paired interval over seeds supports it, otherwise the difference is called noise. Each\n' +
    'scheme is judged by the quantity it promises to preserve, against the theory.',
  flags: COMPARE_FLAGS,
  examples: [
    'initlab compare                      # the embedded default (npm start)',
    'initlab compare --quick --seeds 5',
    'initlab compare --scheme kaiming_normal --scheme fractional:s=1.5 --scheme meanfield:gammas=1,0.5',
    'initlab compare --data train.csv --eval-data test.csv --label-column label --depth 4 --width 64',
  ],
  run: (flags, { io, argv }) => runCompareCommand(flags, argv, io),
});
