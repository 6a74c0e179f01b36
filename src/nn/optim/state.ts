/**
 * An optimizer's state as plain data (PyTorch's `state_dict`): the groups with their hyperparameters and, per
 * parameter, the buffers and counters the update reads (momentum buffers, Adam moments, step counts). Saved with the
 * model (src/nn/checkpoint.ts), it lets a run continue bit-exactly where it stopped.
 */
import { DomainError, describe } from '../../core/errors.js';
import type { FloatArray } from '../../core/index.js';
import type { Tensor } from '../../tensor/index.js';

/** The state of one parameter: buffers (copies, in the parameter's dtype) and scalar counters. */
export interface ParamStateDict {
  readonly buffers: Readonly<Record<string, FloatArray>>;
  readonly scalars: Readonly<Record<string, number>>;
}

/** One parameter group: its name, hyperparameters (the learning rate included) and parameter names, in order. */
export interface GroupStateDict {
  readonly name: string;
  readonly hyper: Readonly<Record<string, unknown>>;
  readonly params: readonly string[];
}

/** An optimizer's whole state. `state` holds the parameters updated at least once, by name. */
export interface OptimizerStateDict {
  /** The optimizer's name ('SGD', 'Adam', 'AdamW'). */
  readonly optimizer: string;
  readonly groups: readonly GroupStateDict[];
  readonly state: Readonly<Record<string, ParamStateDict>>;
}

/** A copy of a buffer (same array type). */
export function copyBuffer(a: FloatArray): FloatArray {
  return a.slice();
}

/** `value` (written `where`) must be a plain object; returns it as a record. */
export function recordAt(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DomainError(`${where} must be an object, got ${describe(value)}`);
  return value as Record<string, unknown>;
}

/**
 * Buffer `key` of a parameter's state (written `where`): a Float32Array / Float64Array matching the parameter's dtype
 * with one entry per element. Returns a copy, so the optimizer never shares storage with the caller.
 */
export function stateBuffer(p: ParamStateDict, key: string, param: Tensor, where: string): FloatArray {
  const b: unknown = recordAt(p.buffers, `${where}.buffers`)[key];
  const want = param.dtype === 'float64' ? Float64Array : Float32Array;
  if (!(b instanceof want) || b.length !== param.size) {
    throw new DomainError(`${where}.buffers.${key} must be a ${want.name} of ${param.size} values (the parameter's dtype and size), got ${describe(b)}`);
  }
  return b.slice();
}

/** Scalar `key` of a parameter's state: a non-negative integer (a step count). */
export function stateCount(p: ParamStateDict, key: string, where: string): number {
  const v: unknown = recordAt(p.scalars, `${where}.scalars`)[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new DomainError(`${where}.scalars.${key} must be an integer ≥ 0, got ${describe(v)}`);
  return v;
}

/** The keys of `rec` (written `where`) must be among `allowed`. */
export function onlyKeys(rec: Readonly<Record<string, unknown>>, allowed: readonly string[], where: string): void {
  for (const k of Object.keys(rec)) {
    if (!allowed.includes(k)) throw new DomainError(`${where} has an unexpected entry ${describe(k)}; allowed: ${allowed.join(', ')}`);
  }
}
