/**
 * Validation helpers for initializer parameters: every failure is a typed error (errors.ts) naming the argument,
 * the allowed range and the value given.
 */
import { DomainError, describe } from '../../core/errors.js';
import { finiteParam } from '../../core/options.js';

// The generic, dependency-free parsers live in src/core (src/tensor and src/nn use them too); re-exported here so
// src/init keeps one import path for every parameter validator.
export { booleanParam, checkedOptions, finiteParam, optionKeys, optionsRecord } from '../../core/options.js';

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

/** One of a fixed set of strings. */
export function enumParam<T extends string>(name: string, value: unknown, allowed: readonly T[], dflt?: T): T {
  const list: unknown = allowed;
  if (!Array.isArray(list) || !list.every((a) => typeof a === 'string')) {
    throw new DomainError(`allowed (the choices for ${String(name)}) must be an array of strings, got ${describe(list)}`);
  }
  if (value === undefined && dflt !== undefined) return dflt;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new DomainError(`${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${describe(value)}`);
}

/** An integer ≥ 0 (a count that may be zero: sweeps, cycles, padding). */
export function nonNegativeIntParam(name: string, value: unknown, dflt?: number): number {
  const x = finiteParam(name, value, dflt);
  if (!Number.isInteger(x) || x < 0) throw new DomainError(`${name} must be a non-negative integer, got ${describe(x)}`);
  return x;
}

