/**
 * `initlab experiment <name>`: one preset per paper checks the paper's claims at init (and in training where the
 * preset says so) over seeds and writes a report section per preset — the claim in our words with its provenance,
 * the setup, the measured numbers with their spread over seeds, and a verdict (held, did not hold, within noise)
 * computed from the intervals with bands fixed in the code. `all` runs every preset into one report.
 */
import { setBackend } from '../../kernels/index.js';
import { getPreset, PRESETS, presetNames, type PresetResult } from '../../experiments/papers/index.js';
import { experimentReportFiles } from '../../report/experiment-report.js';
import { reportCommandFlags } from '../framework/common.js';
import { defineCommand, type CommandIo } from '../framework/command.js';
import { UsageError, type ParsedFlags } from '../framework/flags.js';
import { checkedOut, reportLines, writeStudyReport } from './report-out.js';

/** Seeds of the full and the quick sizes unless --seeds says otherwise. */
const FULL_SEEDS = 5;
const QUICK_SEEDS = 3;

const EXPERIMENT_FLAGS = {
  list: { kind: 'boolean', help: 'name the presets and their sizes, and exit' },
  quick: { kind: 'boolean', help: 'the small size of every preset (under a minute for all; what CI runs)' },
  seeds: { kind: 'int', min: 2, max: 1000, help: `seeds: --seed, --seed+1, … (default ${FULL_SEEDS}, ${QUICK_SEEDS} with --quick)` },
  confidence: { kind: 'float', min: 0.5, max: 0.999, default: 0.95, help: 'level of every interval' },
  ...reportCommandFlags(0),
} as const;

type ExperimentFlags = ParsedFlags<typeof EXPERIMENT_FLAGS>;

/** The list of presets, one per line with its sizes. */
export const presetList = (): string => PRESETS.map((p) => `${p.name.padEnd(12)} ${p.title}\n${' '.repeat(13)}${p.sizes}\n`).join('');

/** One line per claim and a line per preset: what the terminal shows after a run. */
export function verdictLines(results: readonly PresetResult[]): string {
  return results.map((r) => [
    `${r.name}: ${r.verdict} (${(r.meta.millis / 1000).toFixed(1)} s)`,
    ...r.claims.map((c) => `  ${c.verdict.padEnd(13)} ${c.id}: ${c.cases.filter((k) => k.verdict === 'held').length}/${c.cases.length} cases held`),
  ].join('\n')).join('\n');
}

async function runExperimentCommand(f: ExperimentFlags, name: string, argv: readonly string[], io: CommandIo): Promise<number> {
  if (f.list) {
    io.out(presetList());
    return 0;
  }
  if (name === '') throw new UsageError(`initlab experiment needs <name>: one of ${presetNames().join(', ')} or all (see --list)`);
  const presets = name === 'all' ? PRESETS : [getPreset(name)];
  const out = checkedOut(f.out);
  setBackend(f.backend);
  const n = f.seeds ?? (f.quick ? QUICK_SEEDS : FULL_SEEDS);
  const seeds = Array.from({ length: n }, (_, k) => f.seed + k);
  const command = ['initlab experiment', ...argv].join(' ');
  const results: PresetResult[] = [];
  for (const p of presets) {
    io.err(`initlab experiment ${p.name}${f.quick ? ' --quick' : ''}: ${n} seeds\n`);
    let last = -1;
    results.push(p.run({
      quick: f.quick, seeds, confidence: f.confidence, command,
      onProgress: f.json ? undefined : (done, total) => {
        const pct = Math.floor((10 * done) / total);
        if (pct !== last) io.err(`  ${p.name} ${done}/${total}\n`);
        last = pct;
      },
    }));
  }
  const started = results[0]!.meta.started;
  const dir = writeStudyReport(out, started, await experimentReportFiles(results, command));
  if (f.json) io.out(`${JSON.stringify(results, null, 1)}\n`);
  else io.out(`${verdictLines(results)}\n`);
  reportLines(dir, io);
  return 0;
}

/** The table entry of `initlab experiment`. */
export const experimentCommand = defineCommand({
  name: 'experiment',
  summary: "check a paper's claims: one preset per paper, a verdict (held / did not hold / within noise) from the numbers",
  description:
    'Each preset states the paper\'s claims in initlab\'s words with their provenance (verified, derived, reconstructed),\n' +
    'measures them over seeds and computes a verdict from the Student-t intervals against bands fixed in the code:\n' +
    'held (the interval lies inside the band, or on the claimed side), did not hold (entirely outside), within\n' +
    'noise (across an edge). Presets and their sizes (run times measured on a quiet 2-core AMD EPYC machine,\n' +
    '2026-11-30: `all` about 11 minutes, `all --quick` about 16 seconds):\n\n' +
    presetList(),
  positional: { name: 'name', help: `a preset (${presetNames().join(', ')}) or all`, optional: true },
  flags: EXPERIMENT_FLAGS,
  examples: ['initlab experiment --list', 'initlab experiment fractional --quick', 'initlab experiment all --seeds 8'],
  run: (flags, { io, positional, argv }) => runExperimentCommand(flags, positional, argv, io),
});
