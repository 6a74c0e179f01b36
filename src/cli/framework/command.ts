/**
 * A command of the `initlab` CLI: its name, one-line summary, flags (FlagSpecs) and optional positional argument,
 * and what it runs. `defineCommand` turns the declaration into a table entry whose `help()` is generated from the
 * flags and whose `invoke(argv, io)` prints the help for `--help` / `-h` (never running the command), else parses
 * and validates every flag before calling `run` with the typed record.
 */
import { nearestName } from '../../core/options.js';
import { enumValues, flagName, parseArgs, UsageError, type FlagSpec, type FlagSpecs, type ParsedFlags } from './flags.js';

/** Where a command writes: `out` is stdout (tables, JSON), `err` is stderr (progress, notes). */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

/** The process's stdout and stderr. */
export const processIo: CommandIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

/** What `run` gets besides the flags. */
export interface CommandContext {
  readonly io: CommandIo;
  /** The positional argument (present when the command declares one: it is required). */
  readonly positional: string;
  /** The arguments as given after the command name (for a report's "command" line). */
  readonly argv: readonly string[];
}

/** A command as declared by its file. */
export interface Command<S extends FlagSpecs> {
  readonly name: string;
  /** Other names that run this command (e.g. `run` for `compare`). */
  readonly aliases?: readonly string[];
  /** One line in `initlab --help` and after the usage line of `initlab <name> --help`. */
  readonly summary: string;
  /** Paragraph(s) printed under the usage line. */
  readonly description?: string;
  /** A positional argument, e.g. `{ name: 'arch', help: '784-300-100-10 or a JSON file of ops' }`; required unless `optional`. */
  readonly positional?: { readonly name: string; readonly help: string; readonly optional?: boolean };
  readonly flags: S;
  /** Example command lines shown at the end of the help. */
  readonly examples?: readonly string[];
  /** Runs with every flag parsed and validated; returns the exit code (bad input: throw an InitlabError). */
  run(flags: ParsedFlags<S>, ctx: CommandContext): number | Promise<number>;
}

/** A command as the table holds it: its name, summary, help text and entry point. */
export interface CommandEntry {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly summary: string;
  help(): string;
  /** `--help` / `-h` anywhere: print the help, return 0; otherwise parse, validate and run (errors propagate). */
  invoke(argv: readonly string[], io: CommandIo): Promise<number>;
}

/** Smallest width of the flag column (keeps `--backend B` and its help where earlier releases printed them). */
const MIN_COLUMN = 17;

const METAVAR: Record<FlagSpec['kind'], string> = { int: 'N', float: 'X', string: 'S', enum: 'X', list: 'a,b', boolean: '' };

function rangeText(spec: FlagSpec): string {
  if (spec.kind === 'enum') return enumValues(spec).join(' | ');
  if (spec.kind !== 'int' && spec.kind !== 'float' && spec.kind !== 'list') return '';
  const hi = spec.max === Number.MAX_SAFE_INTEGER ? '2^53' : String(spec.max);
  const lo = spec.kind === 'float' && spec.openMin === true ? '(' : '[';
  return `${spec.kind === 'list' ? 'each ' : ''}in ${lo}${spec.min}, ${hi}]`;
}

function defaultText(spec: FlagSpec): string {
  if (spec.kind === 'boolean' || spec.default === undefined) return '';
  return `(default ${Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default)})`;
}

/** The `--help` text of a command, generated from its declaration. */
export function helpText<S extends FlagSpecs>(c: Command<S>): string {
  const rows: [string, string][] = [];
  if (c.positional !== undefined) rows.push([`<${c.positional.name}>`, c.positional.help]);
  for (const [key, spec] of Object.entries(c.flags)) {
    const meta = spec.metavar ?? METAVAR[spec.kind];
    const left = `--${flagName(key)}${meta === '' ? '' : ` ${meta}`}`;
    const right = [spec.help, rangeText(spec), defaultText(spec)].filter((s) => s !== '').join(' ');
    rows.push([left, spec.kind === 'string' && spec.repeat === true ? `${right} (repeatable)` : right]);
  }
  rows.push(['--help, -h', 'print this help and exit (never runs the command)']);
  const col = Math.max(MIN_COLUMN, ...rows.map(([l]) => l.length + 2));
  const usage = `initlab ${c.name}${c.positional === undefined ? '' : ` <${c.positional.name}>`} [flags]`;
  const parts = [`${usage} — ${c.summary}`];
  if (c.aliases !== undefined && c.aliases.length > 0) parts.push(`Also run as: ${c.aliases.map((a) => `initlab ${a}`).join(', ')}`);
  if (c.description !== undefined) parts.push(c.description.trim());
  parts.push(rows.map(([l, r]) => `  ${l.padEnd(col)}${r}`).join('\n'));
  if (c.examples !== undefined && c.examples.length > 0) parts.push(`Examples:\n${c.examples.map((e) => `  ${e}`).join('\n')}`);
  return `${parts.join('\n\n')}\n`;
}

/** True when `--help` or `-h` is among a command's arguments: then the command prints its help and never runs. */
export function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

/** A table entry for `c`. */
export function defineCommand<S extends FlagSpecs>(c: Command<S>): CommandEntry {
  return {
    name: c.name,
    aliases: c.aliases ?? [],
    summary: c.summary,
    help: () => helpText(c),
    async invoke(argv, io) {
      if (wantsHelp(argv)) {
        io.out(helpText(c));
        return 0;
      }
      const max = c.positional === undefined ? 0 : 1;
      const { flags, positionals } = parseArgs(argv, c.flags, max, nearestName, c.name);
      if (c.positional !== undefined && c.positional.optional !== true && positionals.length === 0) {
        throw new UsageError(`initlab ${c.name} needs <${c.positional.name}>: ${c.positional.help} (see initlab ${c.name} --help)`);
      }
      return c.run(flags, { io, positional: positionals[0] ?? '', argv });
    },
  };
}

/** The entry named `name` (or aliased so), or a UsageError listing the commands with a did-you-mean. */
export function findCommand(table: readonly CommandEntry[], name: string): CommandEntry {
  const found = table.find((c) => c.name === name || c.aliases.includes(name));
  if (found !== undefined) return found;
  const names = table.flatMap((c) => [c.name, ...c.aliases]);
  const near = nearestName(name, names);
  throw new UsageError(`unknown command ${JSON.stringify(name)}${near === undefined ? '' : ` (did you mean ${near}?)`}; commands: ${names.join(', ')}`);
}
