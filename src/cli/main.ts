import { readFileSync } from 'node:fs';
import { InitlabError } from '../errors.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const HELP = `initlab ${pkg.version} — scaling and initialization of ReLU networks

Usage: initlab <command> [options]

Commands:
  run          the main job: signal propagation at init for every scheme, HTML report (run --help)
  schemes      list every registered initializer with its source and provenance
  doctor       report backends, the WebGL renderer, what 'auto' picks, GPU/CPU agreement
  --help       show this help
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
    return (await import('./run.js')).run(argv.slice(1));
  }
  if (cmd === 'schemes') {
    return (await import('./schemes.js')).schemes();
  }
  if (cmd === 'doctor') {
    return (await import('./doctor.js')).doctor();
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
