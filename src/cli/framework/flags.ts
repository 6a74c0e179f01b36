/**
 * Flags of a command, declared once: name, kind, range, default and a help line. From the declaration come the
 * typed record a command receives, its `--help` text (help.ts) and the validation of every flag before any work:
 * a bad value is a UsageError naming the flag, the allowed range and the value given.
 */
import { DomainError, InitlabError, describe } from '../../core/errors.js';

/** Bad command-line input: printed as one line, exit code 2. */
export class UsageError extends DomainError {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

interface FlagBase {
  /** One line for `--help`; the range, the values and the default are appended to it. */
  readonly help: string;
  /** Placeholder of the value in `--help` (e.g. `N`, `DIR`); a default per kind otherwise. */
  readonly metavar?: string;
}

/** An integer in [min, max]. */
export interface IntFlag extends FlagBase {
  readonly kind: 'int';
  readonly min: number;
  readonly max: number;
  readonly default?: number;
}

/** A finite number in [min, max] (`openMin`: min itself excluded). */
export interface FloatFlag extends FlagBase {
  readonly kind: 'float';
  readonly min: number;
  readonly max: number;
  readonly openMin?: boolean;
  readonly default?: number;
}

/** Any non-empty string; `repeat: true` collects every occurrence into a list (`--scheme a --scheme b`). */
export interface StringFlag extends FlagBase {
  readonly kind: 'string';
  readonly default?: string;
  readonly repeat?: boolean;
}

/**
 * One of `values` (a function when the list is only known at run time, e.g. the registry's backends). `error`: the
 * error class of a bad value when a more specific one than UsageError is expected (e.g. BackendError).
 */
export interface EnumFlag<V extends string = string> extends FlagBase {
  readonly kind: 'enum';
  readonly values: readonly V[] | (() => readonly string[]);
  readonly default?: V;
  readonly error?: new (message: string) => InitlabError;
}

/** A comma-separated list of numbers in [min, max] (`of: 'int'` for integers). */
export interface ListFlag extends FlagBase {
  readonly kind: 'list';
  readonly of: 'int' | 'float';
  readonly min: number;
  readonly max: number;
  readonly default?: readonly number[];
}

/** A switch: present means true (`--json`); `--name=false` is accepted too. */
export interface BooleanFlag extends FlagBase {
  readonly kind: 'boolean';
}

export type FlagSpec = IntFlag | FloatFlag | StringFlag | EnumFlag | ListFlag | BooleanFlag;

/** The flags of a command by key; the key `weightDecay` is written `--weight-decay` on the command line. */
export type FlagSpecs = { readonly [key: string]: FlagSpec };

/** The value type of one flag. */
export type FlagValue<F extends FlagSpec> = F extends IntFlag | FloatFlag
  ? number
  : F extends EnumFlag<infer V>
    ? V
    : F extends ListFlag
      ? number[]
      : F extends BooleanFlag
        ? boolean
        : F extends { readonly repeat: true }
          ? string[]
          : string;

/** Flags that always have a value: those with a default, switches and repeated flags (empty list when absent). */
type Always<F> = F extends { readonly default: unknown } | BooleanFlag | { readonly repeat: true } ? true : false;

/** The typed record of parsed flags: a flag without a default is `undefined` when not given. */
export type ParsedFlags<S extends FlagSpecs> = {
  readonly [K in keyof S]: Always<S[K]> extends true ? FlagValue<S[K]> : FlagValue<S[K]> | undefined;
};

/** `weightDecay` → `weight-decay`. */
export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The allowed values of an enum flag now. */
export function enumValues(spec: EnumFlag): readonly string[] {
  return typeof spec.values === 'function' ? spec.values() : spec.values;
}

const range = (lo: number, hi: number, openLo = false): string =>
  `${openLo ? '(' : '['}${lo}, ${hi === Number.MAX_SAFE_INTEGER ? '2^53' : hi}]`;

/** `text` (as given after `--name`) as the value of `spec`; a UsageError naming the flag, range and value otherwise. */
export function parseFlagValue(name: string, spec: FlagSpec, text: string): FlagValue<FlagSpec> {
  const flag = `--${name}`;
  switch (spec.kind) {
    case 'int':
    case 'float': {
      const x = text.trim() === '' ? NaN : Number(text);
      const int = spec.kind === 'int';
      const lowOk = spec.kind === 'float' && spec.openMin === true ? x > spec.min : x >= spec.min;
      if (!Number.isFinite(x) || (int && !Number.isInteger(x)) || !lowOk || x > spec.max) {
        const what = int ? 'an integer' : 'a number';
        throw new UsageError(`${flag} must be ${what} in ${range(spec.min, spec.max, spec.kind === 'float' && spec.openMin === true)}, got ${describe(text)}`);
      }
      return x;
    }
    case 'list': {
      const parts = text.split(',');
      const what = spec.of === 'int' ? 'integers' : 'numbers';
      return parts.map((p) => {
        const x = p.trim() === '' ? NaN : Number(p);
        if (!Number.isFinite(x) || (spec.of === 'int' && !Number.isInteger(x)) || x < spec.min || x > spec.max) {
          throw new UsageError(`${flag} must be a comma-separated list of ${what} in ${range(spec.min, spec.max)}, got ${describe(text)}`);
        }
        return x;
      });
    }
    case 'enum': {
      const values = enumValues(spec);
      if (!values.includes(text)) {
        const E = spec.error ?? UsageError;
        throw new E(`${flag} must be one of ${values.join(', ')}, got ${describe(text)}`);
      }
      return text;
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw new UsageError(`${flag} is a switch (give it alone, or =true / =false), got ${describe(text)}`);
      return text === 'true';
    case 'string':
      if (text === '') throw new UsageError(`${flag} must be a non-empty string, got ""`);
      return text;
  }
}

/** The default of a flag when it is not given. */
function defaultOf(spec: FlagSpec): unknown {
  if (spec.kind === 'boolean') return false;
  if (spec.kind === 'string' && spec.repeat === true) return [];
  return spec.default;
}

/** What `parseArgs` returns: the typed flags and the positional arguments in order. */
export interface ParsedArgs<S extends FlagSpecs> {
  readonly flags: ParsedFlags<S>;
  readonly positionals: readonly string[];
}

/**
 * Parse `argv` (`--name value`, `--name=value`, switches alone) against `specs`. Unknown flags are a UsageError that
 * lists the valid ones with a did-you-mean (`nearest`); a flag given twice (unless `repeat`) and a missing value are
 * errors too. Arguments that do not start with `--` are positionals; at most `maxPositionals` of them.
 */
export function parseArgs<S extends FlagSpecs>(
  argv: readonly string[],
  specs: S,
  maxPositionals: number,
  nearest: (key: string, allowed: readonly string[]) => string | undefined,
  command: string,
): ParsedArgs<S> {
  const byName = new Map(Object.keys(specs).map((k) => [flagName(k), k]));
  const values = new Map<string, unknown>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('--')) {
      if (positionals.length >= maxPositionals) {
        throw new UsageError(`unexpected argument ${describe(a)} to initlab ${command}; ${maxPositionals === 0 ? 'it takes only flags (--name value)' : `it takes ${maxPositionals} argument(s) besides its flags`}`);
      }
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    const key = byName.get(name);
    if (key === undefined) {
      const all = [...byName.keys()];
      const near = nearest(name, all);
      throw new UsageError(
        `unknown flag --${name} for initlab ${command}${near === undefined ? '' : ` (did you mean --${near}?)`}; ` +
          `${all.length === 0 ? 'it takes no flags' : `its flags: ${all.map((n) => `--${n}`).join(', ')}`}`,
      );
    }
    const spec = specs[key] as FlagSpec;
    let text: string;
    if (eq >= 0) text = a.slice(eq + 1);
    else if (spec.kind === 'boolean') text = 'true';
    else {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`--${name} needs a value (${spec.help})`);
      text = next;
    }
    const v = parseFlagValue(name, spec, text);
    if (spec.kind === 'string' && spec.repeat === true) {
      (values.get(key) as string[] | undefined)?.push(v as string) ?? values.set(key, [v]);
    } else {
      if (values.has(key)) throw new UsageError(`--${name} is given twice; give it once`);
      values.set(key, v);
    }
  }
  const flags: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) flags[key] = values.has(key) ? values.get(key) : defaultOf(spec);
  // The record is built from `specs` key by key, each value parsed by its spec's kind: the shape of ParsedFlags<S>.
  return { flags: flags as ParsedFlags<S>, positionals };
}
