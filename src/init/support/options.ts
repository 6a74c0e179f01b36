/**
 * Validation helpers for initializer parameters: every failure is a typed error (errors.ts) naming the argument,
 * the allowed range and the value given.
 */
import { DomainError, NonFiniteError, describe } from '../../core/errors.js';
import type { InitOptions } from '../entry.js';

/** A finite number, or the default when `value` is undefined. */
export function finiteParam(name: string, value: unknown, dflt?: number): number {
  if (value === undefined) {
    if (dflt === undefined) throw new DomainError(`${name} is required (a finite number)`);
    return dflt;
  }
  if (typeof value !== 'number') throw new DomainError(`${name} must be a finite number, got ${describe(value)}`);
  if (!Number.isFinite(value)) throw new NonFiniteError(`${name} must be a finite number, got ${describe(value)}`);
  return value;
}

/** A finite number in the interval described by the bounds (inclusive unless `open*` is set). */
export function rangeParam(
  name: string,
  value: unknown,
  lo: number,
  hi: number,
  opts: { dflt?: number; openLo?: boolean; openHi?: boolean } = {},
): number {
  const x = finiteParam(name, value, opts.dflt);
  const okLo = opts.openLo ? x > lo : x >= lo;
  const okHi = opts.openHi ? x < hi : x <= hi;
  if (!okLo || !okHi) {
    const l = `${opts.openLo ? '(' : '['}${lo === -Infinity ? '-Infinity' : lo}`;
    const h = `${hi === Infinity ? 'Infinity' : hi}${opts.openHi ? ')' : ']'}`;
    throw new DomainError(`${name} must be in ${l}, ${h}, got ${describe(x)}`);
  }
  return x;
}

/** A finite number > 0. */
export function positiveParam(name: string, value: unknown, dflt?: number): number {
  return rangeParam(name, value, 0, Infinity, { dflt, openLo: true, openHi: true });
}

/** A finite number ≥ 0. */
export function nonNegativeParam(name: string, value: unknown, dflt?: number): number {
  return rangeParam(name, value, 0, Infinity, { dflt, openHi: true });
}

/** A positive integer. */
export function positiveIntParam(name: string, value: unknown, dflt?: number): number {
  const x = finiteParam(name, value, dflt);
  if (!Number.isInteger(x) || x <= 0) throw new DomainError(`${name} must be a positive integer, got ${describe(x)}`);
  return x;
}

/** `true` or `false`, or the default when `value` is undefined (no truthiness: `'yes'` and `1` are errors). */
export function booleanParam(name: string, value: unknown, dflt?: boolean): boolean {
  if (value === undefined && dflt !== undefined) return dflt;
  if (typeof value !== 'boolean') throw new DomainError(`${name} must be a boolean (true or false), got ${describe(value)}`);
  return value;
}

/** One of a fixed set of strings. */
export function enumParam<T extends string>(name: string, value: unknown, allowed: readonly T[], dflt?: T): T {
  if (value === undefined && dflt !== undefined) return dflt;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new DomainError(`${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${describe(value)}`);
}

/** Options record or `{}`; anything else is a DomainError. */
export function optionsRecord(options: unknown, name = 'options'): InitOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new DomainError(`${name} must be an object, got ${describe(options)}`);
  }
  return options as InitOptions;
}

/**
 * The option keys of an options interface `T`, for `checkedOptions`. The mapped parameter type makes the compiler
 * reject a missing or an extra key, so the runtime list cannot drift from the documented interface.
 */
export function optionKeys<T extends object>(keys: { readonly [K in keyof Required<T>]: true }): readonly string[] {
  return Object.keys(keys);
}

/**
 * `optionsRecord`, plus: every key must be one that `fn` reads. Without this a misspelt key (`activation` for `act`,
 * `maxSweep` for `maxSweeps`) would silently fall back to the default. Keys whose value is `undefined` are skipped
 * (they mean "not given", as for every default), so `{ ...opts, key: undefined }` stays valid.
 * Throws e.g. `DomainError: unknown option options.activation for fractionalMomentNormal; allowed: act, s, …`.
 */
export function checkedOptions(fn: string, options: unknown, allowed: readonly string[], name = 'options'): InitOptions {
  const o = optionsRecord(options, name);
  for (const key of Object.keys(o)) {
    if (o[key] === undefined || allowed.includes(key)) continue;
    const near = allowed.find((a) => {
      const d = editDistance(a.toLowerCase(), key.toLowerCase());
      return d <= Math.max(1, Math.floor(a.length / 4)) && d < Math.min(a.length, key.length);
    });
    throw new DomainError(
      `unknown option ${name}.${key} for ${fn}${near === undefined ? '' : ` (did you mean ${near}?)`}; ` +
        `allowed: ${allowed.length === 0 ? '(none)' : allowed.join(', ')}`,
    );
  }
  return o;
}

/** Levenshtein distance (short strings only), for the "did you mean" hint of `checkedOptions`. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

/** An integer ≥ 0 (a count that may be zero: sweeps, cycles, padding). */
export function nonNegativeIntParam(name: string, value: unknown, dflt?: number): number {
  const x = finiteParam(name, value, dflt);
  if (!Number.isInteger(x) || x < 0) throw new DomainError(`${name} must be a non-negative integer, got ${describe(x)}`);
  return x;
}

