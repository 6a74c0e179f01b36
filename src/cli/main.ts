import { readFileSync } from 'node:fs';
import { InitlabError } from '../core/errors.js';
// Static imports on purpose: a dynamic import() can load a second copy of the modules under test runners that
// mix require and import (mocha + tsx), and a second copy of errors.ts breaks `instanceof InitlabError`.
import { parseFlags } from './args.js';
import { doctor } from './doctor.js';
import { run } from './run.js';
import { schemes } from './schemes.js';

/** Help of the commands without flags; `run --help` lives in run.ts (its flags name the registry's backends). */
const SCHEMES_HELP = `initlab schemes — list every registered initializer: name, aliases, kind, provenance, description, source

  takes no flags (--help, -h: this text)
`;
const DOCTOR_HELP = `initlab doctor — every backend (probe, diagnostics), what 'auto' picks and why, and each backend's agreement
with the reference backend on a 256x256 float32 matmul; exits 0 (a missing backend is a finding, not a failure)

  takes no flags (--help, -h: this text)
`;

/** True when `--help` or `-h` is among a command's arguments: then the command prints its help and never runs. */
function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const HELP = `initlab ${pkg.version} — scaling and initialization of ReLU networks

Usage: initlab <command> [options]

Commands:
  run          the main job: signal propagation at init for every scheme, HTML report
  schemes      list every registered initializer with its source and provenance
  doctor       report every backend (probe, diagnostics), what 'auto' picks, agreement with the reference
  --help       show this help; 'initlab <command> --help' shows a command's help
  --version    print the version
`;

export async function main(argv: string[]): Promise<number> {
  const [cmd] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (cmd === '--version' || cmd === '-v') {
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  if (cmd === 'run') {
    return run(argv.slice(1));
  }
  if (cmd === 'schemes' || cmd === 'doctor') {
    const args = argv.slice(1);
    if (wantsHelp(args)) {
      process.stdout.write(cmd === 'schemes' ? SCHEMES_HELP : DOCTOR_HELP);
      return 0;
    }
    parseFlags(args, []); // no flags: anything given is a DomainError naming it
    return cmd === 'schemes' ? schemes() : doctor();
  }
  process.stderr.write(`initlab: unknown command ${JSON.stringify(cmd)}\n\n${HELP}`);
  return 2;
}

/** Run the CLI: bad input (an InitlabError) prints its message and exits 2; anything else is a crash with a stack. */
export async function cli(argv: string[]): Promise<never> {
  try {
    process.exit(await main(argv));
  } catch (e) {
    if (e instanceof InitlabError) {
      process.stderr.write(`initlab: ${e.name}: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('main.ts')) {
  void cli(process.argv.slice(2));
}
