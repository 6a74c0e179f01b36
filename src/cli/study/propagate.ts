/**
 * `initlab propagate`: signal propagation at initialization only (no training) over a grid of depths × widths, every
 * scheme over seeds — its yardstick and the dead-unit fraction at the last hidden layer, a table, the findings and the
 * report folder.
 */
import { setBackend } from '../../kernels/index.js';
import { DEFAULT_PROPAGATE, DEFAULT_SCHEMES, runPropagate, type PropagateConfig } from '../../experiments/compare/index.js';
import { propagateReportFiles } from '../../report/propagate-report.js';
import { findingsText, propagateTable } from '../../report/tables.js';
import { confidenceFlag, dtypeFlag, reportCommandFlags } from '../framework/common.js';
import { defineCommand, type CommandIo } from '../framework/command.js';
import { UsageError, type ParsedFlags } from '../framework/flags.js';
import { schemeFromArg } from '../scheme-arg.js';
import { loadTrainData } from '../train/data.js';
import { checkedOut, reportLines, studyProgress, writeStudyReport } from './report-out.js';

const D = DEFAULT_PROPAGATE;

const PROPAGATE_FLAGS = {
  scheme: { kind: 'string', repeat: true, metavar: 'NAME[:k=v…]', help: `a scheme with its options (default: the ${DEFAULT_SCHEMES.length} default schemes)` },
  depths: { kind: 'list', of: 'int', min: 1, max: 1000, metavar: 'd1,d2,…', help: `numbers of hidden layers swept (default ${D.depths.join(',')})` },
  widths: { kind: 'list', of: 'int', min: 1, max: 8192, metavar: 'w1,w2,…', help: `hidden widths swept (default ${D.widths.join(',')})` },
  seeds: { kind: 'int', min: 2, max: 1000, default: D.seeds.length, help: 'seeds per cell: --seed, --seed+1, …' },
  batch: { kind: 'int', min: 1, max: 1 << 16, default: D.batchSize, help: 'data rows measured per network' },
  sMoment: { kind: 'float', min: 0, openMin: true, max: 8, default: D.sMoment, help: 's of the s-moment of schemes that do not set their own' },
  data: { kind: 'string', metavar: 'FILES', help: 'your data: images.idx,labels.idx or a .csv with a label column; default MNIST' },
  labelColumn: { kind: 'string', default: 'label', metavar: 'NAME', help: 'label column of a CSV' },
  confidence: confidenceFlag(D.confidence),
  dtype: dtypeFlag(D.dtype),
  ...reportCommandFlags(D.seeds[0] as number),
} as const;

type PropagateFlags = ParsedFlags<typeof PROPAGATE_FLAGS>;

/** Rows of data `propagate` reads: the measured batch plus LPS-R's anchor batch. */
const rowsNeeded = (batch: number): number => batch + (D.anchorBatchSize ?? 0);

async function runPropagateCommand(f: PropagateFlags, argv: readonly string[], io: CommandIo): Promise<number> {
  f.scheme.forEach((s) => schemeFromArg(s));
  const out = checkedOut(f.out);
  setBackend(f.backend);
  const data = loadTrainData({ data: f.data, evalData: undefined, labelColumn: f.labelColumn, trainSize: Math.min(60_000, rowsNeeded(f.batch)), testSize: 1 });
  const d = data.train;
  if ((d.shape[0] as number) < rowsNeeded(f.batch)) {
    throw new UsageError(`--data holds ${d.shape[0]} samples; propagate reads ${rowsNeeded(f.batch)} (--batch ${f.batch} plus ${D.anchorBatchSize ?? 0} anchor rows for LPS-R)`);
  }
  const cfg: PropagateConfig = {
    ...D,
    data: data.description,
    inputDim: d.shape[1] as number,
    classes: d.y.classes,
    depths: f.depths ?? D.depths,
    widths: f.widths ?? D.widths,
    schemes: f.scheme.length > 0 ? f.scheme.map((s) => schemeFromArg(s)) : DEFAULT_SCHEMES,
    seeds: Array.from({ length: f.seeds }, (_, k) => f.seed + k),
    batchSize: f.batch,
    sMoment: f.sMoment,
    confidence: f.confidence,
    dtype: f.dtype,
  };
  io.err(`initlab propagate: depths ${cfg.depths.join(',')} × widths ${cfg.widths.join(',')}; ${cfg.schemes.length} schemes × ${cfg.seeds.length} seeds on ${cfg.data}; ${cfg.dtype}\n`);
  const progress = studyProgress('propagate', !f.json, process.stderr);
  let result;
  try {
    result = runPropagate(cfg, d, { onProgress: progress.onProgress, command: ['initlab propagate', ...argv].join(' ') });
  } finally {
    progress.stop();
  }
  const dir = writeStudyReport(out, result.meta.started, await propagateReportFiles(result));
  if (f.json) io.out(`${JSON.stringify(result, null, 1)}\n`);
  else io.out(`\n${propagateTable(result)}\n\nFindings:\n${findingsText(result.findings)}\n\n`);
  reportLines(dir, io);
  return 0;
}

/** The table entry of `initlab propagate`. */
export const propagateCommand = defineCommand({
  name: 'propagate',
  summary: 'signal propagation at init over depths × widths (moments, dead units; no training), HTML report',
  flags: PROPAGATE_FLAGS,
  examples: ['initlab propagate --depths 4,16,64 --widths 128 --scheme kaiming_normal --scheme fractional:s=1:act=relu'],
  run: (flags, { io, argv }) => runPropagateCommand(flags, argv, io),
});
