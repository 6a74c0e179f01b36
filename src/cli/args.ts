/** Minimal `--flag value` / `--flag=value` parsing with typed errors naming the flag. */
import { DomainError, describe } from '../core/errors.js';

export type Flags = Map<string, string>;

export function parseFlags(argv: readonly string[], known: readonly string[], booleans: readonly string[] = []): Flags {
  const flags: Flags = new Map();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('--')) throw new DomainError(`unexpected argument ${describe(a)}; flags look like --name value`);
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (!known.includes(name) && !booleans.includes(name)) {
      const all = [...known, ...booleans].map((k) => `--${k}`);
      throw new DomainError(`unknown flag --${name}; ${all.length === 0 ? 'this command takes no flags' : `known flags: ${all.join(', ')}`}`);
    }
    if (booleans.includes(name)) {
      flags.set(name, 'true');
      continue;
    }
    const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new DomainError(`flag --${name} needs a value`);
    flags.set(name, value);
  }
  return flags;
}

/** An integer flag in [min, max], or the default. */
export function intFlag(flags: Flags, name: string, dflt: number, min: number, max: number): number {
  const v = flags.get(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new DomainError(`--${name} must be an integer in [${min}, ${max}], got ${describe(v)}`);
  return n;
}
