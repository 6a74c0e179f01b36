/**
 * Parsing of options records and scalar parameters at a public boundary, shared by every layer (src/init's
 * initializers, src/tensor's creation functions and ops, src/nn): the record check, the unknown-key check with a
 * "did you mean" hint, finite numbers and booleans. Every failure is a DomainError (NonFiniteError for NaN / ±Inf)
 * naming the argument as the caller wrote it, what is allowed and the value given.
 *
 * Policy for `null`: it never means "absent". An options record or parameter given as `null` is an error naming the
 * argument, unless the function documents that argument as nullable (e.g. `linear`'s bias `b`); `undefined` (or
 * leaving the argument out) gives the default.
 */
import { DomainError, NonFiniteError, describe } from './errors.js';

/** A parsed options record: string keys, values still to be checked one by one. */
export type OptionsRecord = { readonly [key: string]: unknown };

/** Options record or `{}` when `options` is undefined; anything else (null, an array, a number, ...) is a DomainError. */
export function optionsRecord(options: unknown, name = 'options'): OptionsRecord {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new DomainError(`${name} must be an object, got ${describe(options)}`);
  }
  return options as OptionsRecord;
}

/**
 * The option keys of an options interface `T`, for `checkedOptions`. The mapped parameter type makes the compiler
 * reject a missing or an extra key, so the runtime list cannot drift from the documented interface.
 */
export function optionKeys<T extends object>(keys: { readonly [K in keyof Required<T>]: true }): readonly string[] {
  // the compiler checks TypeScript callers; a JavaScript caller's null or number gets a typed error
  const k: unknown = keys;
  if (k === null || typeof k !== 'object' || Array.isArray(k)) throw new DomainError(`keys must be an object {key: true, ...}, got ${describe(k)}`);
  return Object.keys(k);
}

/** `allowed` of `checkedOptions`: an array of strings (DomainError naming it otherwise). */
function checkAllowed(allowed: unknown): readonly string[] {
  if (!Array.isArray(allowed) || !allowed.every((a) => typeof a === 'string')) {
    throw new DomainError(`allowed must be an array of option names (strings), got ${describe(allowed)}`);
  }
  return allowed as readonly string[];
}

/**
 * `optionsRecord`, plus: every key must be one that `fn` reads. Without this a misspelt key (`activation` for `act`,
 * `dtyp` for `dtype`) would silently fall back to the default. Keys whose value is `undefined` are skipped (they mean
 * "not given", as for every default), so `{ ...opts, key: undefined }` stays valid.
 * Throws e.g. `DomainError: unknown option opts.dtyp for tensor (did you mean dtype?); allowed: dtype, requiresGrad`.
 */
export function checkedOptions(fn: string, options: unknown, allowed: readonly string[], name = 'options'): OptionsRecord {
  if (typeof fn !== 'string') throw new DomainError(`fn must be the function's name (a string), got ${describe(fn)}`);
  if (typeof name !== 'string') throw new DomainError(`name must be the options argument's name (a string), got ${describe(name)}`);
  checkAllowed(allowed);
  const o = optionsRecord(options, name);
  for (const key of Object.keys(o)) {
    if (o[key] === undefined || allowed.includes(key)) continue;
    const near = nearestName(key, allowed);
    throw new DomainError(
      `unknown option ${name}.${key} for ${fn}${near === undefined ? '' : ` (did you mean ${near}?)`}; ` +
        `allowed: ${allowed.length === 0 ? '(none)' : allowed.join(', ')}`,
    );
  }
  return o;
}

/**
 * The first of `allowed` within a few edits of `key` (case-insensitive; at most max(1, ⌊length/4⌋) edits and fewer
 * than either length), for "did you mean" hints; undefined when none is that close.
 */
export function nearestName(key: string, allowed: readonly string[]): string | undefined {
  return allowed.find((a) => {
    const d = editDistance(a.toLowerCase(), key.toLowerCase());
    return d <= Math.max(1, Math.floor(a.length / 4)) && d < Math.min(a.length, key.length);
  });
}

/**
 * Edit distance counting an insertion, a deletion, a substitution or a swap of two neighbours as one edit (optimal
 * string alignment), for the "did you mean" hint of `checkedOptions`: `rleu` is one edit from `relu`. Short strings only.
 */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    const prev = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (rows[i - 2]![j - 2] as number) + 1);
      cur[j] = d;
    }
    rows.push(cur);
  }
  return rows[a.length]![b.length] as number;
}

/**
 * A finite number, or the default when `value` is undefined. A non-number (null, a string, ...) is a DomainError,
 * NaN / ±Inf a NonFiniteError, both naming `name`.
 */
export function finiteParam(name: string, value: unknown, dflt?: number): number {
  if (value === undefined) {
    if (dflt === undefined) throw new DomainError(`${name} is required (a finite number)`);
    return dflt;
  }
  if (typeof value !== 'number') throw new DomainError(`${name} must be a finite number, got ${describe(value)}`);
  if (!Number.isFinite(value)) throw new NonFiniteError(`${name} must be a finite number, got ${describe(value)}`);
  return value;
}

/** `true` or `false`, or the default when `value` is undefined (no truthiness: `'yes'` and `1` are errors). */
export function booleanParam(name: string, value: unknown, dflt?: boolean): boolean {
  if (value === undefined && dflt !== undefined) return dflt;
  if (typeof value !== 'boolean') throw new DomainError(`${name} must be a boolean (true or false), got ${describe(value)}`);
  return value;
}
