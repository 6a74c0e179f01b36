/**
 * `initlab run`: the main job. Runs the signal-propagation study (src/experiments/signal.ts) on the embedded default
 * or the flags given, prints a table, and writes an HTML report with charts plus JSON and Markdown next to it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BackendError, DomainError, describe } from '../core/errors.js';
import { DEFAULT_SIGNAL_STUDY, type SchemeSpec, type SignalStudyConfig, runSignalStudy } from '../experiments/signal.js';
import { listBackends, setBackend } from '../kernels/index.js';
import { signalReportHtml, signalReportMarkdown, signalReportTable } from '../report/signal-report.js';
import { intFlag, parseFlags } from './args.js';

/** `initlab run --help`; a function so that the backend names are the registry's at the time of asking. */
export const runHelp = (): string => `initlab run [flags] — signal propagation at initialization, every scheme side by side

  --depth N        hidden layers (default ${DEFAULT_SIGNAL_STUDY.depth})
  --width N        hidden width (default ${DEFAULT_SIGNAL_STUDY.width})
  --input N        input dimension (default ${DEFAULT_SIGNAL_STUDY.inputDim})
  --batch N        batch size (default ${DEFAULT_SIGNAL_STUDY.batch})
  --draws N        weight draws per scheme (default ${DEFAULT_SIGNAL_STUDY.draws})
  --seed N         master seed (default ${DEFAULT_SIGNAL_STUDY.seed})
  --dtype T        float64 | float32 (default ${DEFAULT_SIGNAL_STUDY.dtype})
  --schemes a,b    registry names (see 'initlab schemes'); default: ${DEFAULT_SIGNAL_STUDY.schemes.map((s) => s.name).join(',')}
  --backend B      ${listBackends().join(' | ')} (default auto)
  --out DIR        where the report goes (default reports/)
  --quick          a small network (depth 8, width 64, 2 draws) for a fast look
`;

export function runConfigFromFlags(argv: readonly string[]): { cfg: SignalStudyConfig; out: string; backend: string } {
  const f = parseFlags(argv, ['depth', 'width', 'input', 'batch', 'draws', 'seed', 'dtype', 'schemes', 'backend', 'out'], ['quick']);
  const base: SignalStudyConfig = f.has('quick') ? { ...DEFAULT_SIGNAL_STUDY, depth: 8, width: 64, inputDim: 64, draws: 2 } : DEFAULT_SIGNAL_STUDY;
  const dtype = f.get('dtype') ?? base.dtype;
  if (dtype !== 'float32' && dtype !== 'float64') throw new DomainError(`--dtype must be float32 or float64, got ${describe(dtype)}`);
  let schemes: readonly SchemeSpec[] = base.schemes;
  const names = f.get('schemes');
  if (names !== undefined) {
    const byName = new Map(base.schemes.map((s) => [s.name, s]));
    schemes = names.split(',').filter((n) => n.length > 0).map((n) => byName.get(n) ?? { name: n });
  }
  const cfg: SignalStudyConfig = {
    ...base,
    depth: intFlag(f, 'depth', base.depth, 1, 1000),
    width: intFlag(f, 'width', base.width, 1, 8192),
    inputDim: intFlag(f, 'input', base.inputDim, 1, 1 << 16),
    batch: intFlag(f, 'batch', base.batch, 1, 1 << 16),
    draws: intFlag(f, 'draws', base.draws, 1, 1000),
    seed: intFlag(f, 'seed', base.seed, 0, Number.MAX_SAFE_INTEGER),
    dtype,
    schemes,
  };
  const backend = f.get('backend') ?? 'auto';
  if (!listBackends().includes(backend)) {
    throw new BackendError(`--backend must be one of ${listBackends().join(', ')}, got ${describe(backend)}`);
  }
  return { cfg, out: f.get('out') ?? 'reports', backend };
}

export async function run(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(runHelp());
    return 0;
  }
  const { cfg, out, backend } = runConfigFromFlags(argv);
  setBackend(backend);
  const c = cfg;
  process.stderr.write(
    `initlab run: ReLU MLP ${c.inputDim} → ${c.depth}×${c.width} → ${c.classes}, batch ${c.batch}, ${c.draws} draw(s) × ${c.schemes.length} schemes, ${c.dtype}, seed ${c.seed}\n`,
  );
  const result = runSignalStudy(cfg, (r) => {
    process.stderr.write('error' in r ? `  ✗ ${r.name}: ${r.error}\n` : `  ✓ ${r.name.padEnd(20)} ${(r.millis / 1000).toFixed(1)} s\n`);
  });
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const dir = resolve(out);
  mkdirSync(dir, { recursive: true });
  const meta = { generated: new Date().toISOString(), command: `initlab run ${argv.join(' ')}`.trim(), version: pkg.version };
  const html = join(dir, 'signal-propagation.html');
  writeFileSync(html, signalReportHtml(result, meta));
  writeFileSync(join(dir, 'signal-propagation.json'), `${JSON.stringify({ meta, ...result }, null, 1)}\n`);
  writeFileSync(join(dir, 'signal-propagation.md'), signalReportMarkdown(result));
  process.stdout.write(`\n${signalReportTable(result)}\n\n`);
  process.stdout.write(`Report: ${html}\n        (also .json and .md beside it; open the .html in a browser)\n`);
  return result.failures.length === 0 ? 0 : 1;
}
