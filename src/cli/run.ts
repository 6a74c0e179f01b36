/**
 * `initlab run`: the main job. Runs the signal-propagation study (src/experiments/signal.ts) on the embedded default
 * or the flags given, prints a table, and writes an HTML report with charts plus JSON and Markdown next to it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SIGNAL_STUDY, type SchemeSpec, type SignalStudyConfig, runSignalStudy } from '../experiments/signal.js';
import { setBackend } from '../kernels/index.js';
import { nearestName } from '../core/options.js';
import { signalReportHtml, signalReportMarkdown, signalReportTable } from '../report/signal-report.js';
import { backendFlag, outFlag, seedFlag } from './framework/common.js';
import { defineCommand, helpText, processIo, type Command, type CommandIo } from './framework/command.js';
import { parseArgs, type ParsedFlags } from './framework/flags.js';
import { prepareOutDir } from './framework/out.js';

const D = DEFAULT_SIGNAL_STUDY;

/** The flags of `initlab run`. */
const RUN_FLAGS = {
  depth: { kind: 'int', min: 1, max: 1000, default: D.depth, help: 'hidden layers' },
  width: { kind: 'int', min: 1, max: 8192, default: D.width, help: 'hidden width' },
  input: { kind: 'int', min: 1, max: 1 << 16, default: D.inputDim, help: 'input dimension' },
  batch: { kind: 'int', min: 1, max: 1 << 16, default: D.batch, help: 'batch size' },
  draws: { kind: 'int', min: 1, max: 1000, default: D.draws, help: 'weight draws per scheme' },
  seed: seedFlag(D.seed),
  dtype: { kind: 'enum', values: ['float64', 'float32'] as const, default: D.dtype, metavar: 'T', help: '' },
  schemes: { kind: 'string', metavar: 'a,b', help: `registry names (see 'initlab schemes'); default: ${D.schemes.map((s) => s.name).join(',')}` },
  backend: backendFlag(),
  out: outFlag('reports', 'where the report goes'),
  quick: { kind: 'boolean', help: 'a small network (depth 8, width 64, 2 draws) for a fast look' },
} as const;

type RunFlags = ParsedFlags<typeof RUN_FLAGS>;

/** `initlab run`: its declaration (flags, help) and what it runs. */
const RUN: Command<typeof RUN_FLAGS> = {
  name: 'run',
  summary: 'signal propagation at initialization, every scheme side by side (HTML report)',
  flags: RUN_FLAGS,
  run: (flags, ctx) => runStudy(flags, ctx.argv, ctx.io),
};

/** The table entry of `initlab run`. */
export const runCommand = defineCommand(RUN);

/** `initlab run --help`; a function so that the backend names are the registry's at the time of asking. */
export const runHelp = (): string => helpText(RUN);

/** The study of the parsed flags: `--quick` changes the defaults, explicit flags win. */
function configOf(f: RunFlags, given: (key: string) => boolean): SignalStudyConfig {
  const base: SignalStudyConfig = f.quick ? { ...D, depth: 8, width: 64, inputDim: 64, draws: 2 } : D;
  let schemes: readonly SchemeSpec[] = base.schemes;
  if (f.schemes !== undefined) {
    const byName = new Map(base.schemes.map((s) => [s.name, s]));
    schemes = f.schemes.split(',').filter((n) => n.length > 0).map((n) => byName.get(n) ?? { name: n });
  }
  const pick = (key: keyof RunFlags & string, value: number, dflt: number): number => (given(key) ? value : dflt);
  return {
    ...base,
    depth: pick('depth', f.depth, base.depth),
    width: pick('width', f.width, base.width),
    inputDim: pick('input', f.input, base.inputDim),
    batch: f.batch,
    draws: pick('draws', f.draws, base.draws),
    seed: f.seed,
    dtype: f.dtype,
    schemes,
  };
}

/** Was `--key` (or `--key=…`) among the arguments? */
const givenIn = (argv: readonly string[]) => (key: string): boolean => argv.some((a) => a === `--${key}` || a.startsWith(`--${key}=`));

/** Parse `initlab run`'s flags (every value checked, a UsageError / BackendError naming the flag otherwise). */
export function runConfigFromFlags(argv: readonly string[]): { cfg: SignalStudyConfig; out: string; backend: string } {
  const { flags } = parseArgs(argv, RUN_FLAGS, 0, nearestName, 'run');
  return { cfg: configOf(flags, givenIn(argv)), out: flags.out, backend: flags.backend };
}

/** `initlab run` from argv (kept for callers of the earlier API; the CLI goes through `runCommand`). */
export async function run(argv: readonly string[], io: CommandIo = processIo): Promise<number> {
  return runCommand.invoke(argv, io);
}

async function runStudy(flags: RunFlags, argv: readonly string[], io: CommandIo): Promise<number> {
  const cfg = configOf(flags, givenIn(argv));
  const dir = prepareOutDir(flags.out);
  setBackend(flags.backend);
  const c = cfg;
  io.err(
    `initlab run: ReLU MLP ${c.inputDim} → ${c.depth}×${c.width} → ${c.classes}, batch ${c.batch}, ${c.draws} draw(s) × ${c.schemes.length} schemes, ${c.dtype}, seed ${c.seed}\n`,
  );
  const result = runSignalStudy(cfg, (r) => {
    io.err('error' in r ? `  ✗ ${r.name}: ${r.error}\n` : `  ✓ ${r.name.padEnd(20)} ${(r.millis / 1000).toFixed(1)} s\n`);
  });
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const meta = { generated: new Date().toISOString(), command: `initlab run ${argv.join(' ')}`.trim(), version: pkg.version };
  const html = join(dir, 'signal-propagation.html');
  writeFileSync(html, signalReportHtml(result, meta));
  writeFileSync(join(dir, 'signal-propagation.json'), `${JSON.stringify({ meta, ...result }, null, 1)}\n`);
  writeFileSync(join(dir, 'signal-propagation.md'), signalReportMarkdown(result));
  io.out(`\n${signalReportTable(result)}\n\n`);
  io.out(`Report: ${html}\n        (also .json and .md beside it; open the .html in a browser)\n`);
  return result.failures.length === 0 ? 0 : 1;
}
