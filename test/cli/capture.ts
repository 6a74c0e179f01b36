/** Run the CLI in-process with stdout and stderr captured. */
import { runCli } from '../../src/cli/main.js';
import type { CommandEntry, CommandIo } from '../../src/cli/framework/command.js';

export interface Captured {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** `runCli(argv)` (bad input: one line on err, exit code 2) with what it wrote to stdout and stderr. */
export async function cli(argv: string[], table?: readonly CommandEntry[]): Promise<Captured> {
  let out = '';
  let err = '';
  const io: CommandIo = { out: (t) => void (out += t), err: (t) => void (err += t) };
  const code = table === undefined ? await runCli(argv, io) : await runCli(argv, io, table);
  return { code, out, err };
}
