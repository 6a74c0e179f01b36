import { readFileSync } from 'node:fs';
import { InitlabError } from '../core/errors.js';
// Static imports on purpose: a dynamic import() can load a second copy of the modules under test runners that
// mix require and import (mocha + tsx), and a second copy of errors.ts breaks `instanceof InitlabError`.
import { designCommand } from './design.js';
import { doctorCommand } from './doctor.js';
import { findCommand, processIo, type CommandEntry, type CommandIo } from './framework/command.js';
import { schemesCommand } from './schemes.js';
import { compareCommand } from './study/compare.js';
import { experimentCommand } from './study/experiment.js';
import { propagateCommand } from './study/propagate.js';
import { sweepCommand } from './study/sweep.js';
import { trainCommand } from './train/command.js';

/**
 * The commands, in the order `initlab --help` lists them. A new command is one file declaring it with
 * `defineCommand({ name, summary, flags, run })` and one entry here.
 */
export const COMMANDS: readonly CommandEntry[] = [compareCommand, propagateCommand, trainCommand, designCommand, experimentCommand, sweepCommand, schemesCommand, doctorCommand];

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** `initlab --help`: every command of `table` with its summary. */
export function topHelp(table: readonly CommandEntry[] = COMMANDS): string {
  const col = Math.max(12, ...table.map((c) => c.name.length + 2));
  const summary = (c: CommandEntry): string => (c.aliases.length === 0 ? c.summary : `${c.summary} (also: ${c.aliases.join(', ')})`);
  return `initlab ${pkg.version} — scaling and initialization of ReLU networks

Usage: initlab <command> [flags]

Commands:
${table.map((c) => `  ${c.name.padEnd(col)} ${summary(c)}`).join('\n')}
  ${'--help'.padEnd(col)} show this help; 'initlab <command> --help' shows a command's help
  ${'--version'.padEnd(col)} print the version
`;
}

/**
 * Run one command line (without the program name). Returns the exit code; bad input (an InitlabError: an unknown
 * command or flag, a value out of range, a bad file) is thrown for the caller to report (see `runCli`).
 */
export async function main(argv: readonly string[], io: CommandIo = processIo, table: readonly CommandEntry[] = COMMANDS): Promise<number> {
  const [cmd] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    io.out(topHelp(table));
    return 0;
  }
  if (cmd === '--version' || cmd === '-v') {
    io.out(`${pkg.version}\n`);
    return 0;
  }
  return findCommand(table, cmd).invoke(argv.slice(1), io);
}

/**
 * `main` with bad input reported as one line on stderr (`initlab: <ErrorName>: <message>`) and exit code 2.
 * Anything that is not an InitlabError is a crash and propagates with its stack.
 */
export async function runCli(argv: readonly string[], io: CommandIo = processIo, table: readonly CommandEntry[] = COMMANDS): Promise<number> {
  try {
    return await main(argv, io, table);
  } catch (e) {
    if (!(e instanceof InitlabError)) throw e;
    io.err(`initlab: ${e.name}: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
    return 2;
  }
}

/** Run the CLI and exit with its code. */
export async function cli(argv: string[]): Promise<never> {
  process.exit(await runCli(argv));
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('main.ts')) {
  void cli(process.argv.slice(2));
}
