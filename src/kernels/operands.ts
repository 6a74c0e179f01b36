/**
 * Argument checks shared by the backends' kernel methods: operands must be Float32Array or Float64Array (a plain
 * array or an Int8Array would be read element by element into garbage, or not at all), dimensions non-negative
 * integers matching the operand lengths (out-of-range reads would silently give NaN), flags records of booleans.
 * Every check is O(1), so the kernels pay nothing per element for them.
 */
import { DomainError, DTypeError, ShapeError, describe } from '../core/errors.js';
import type { FloatArray } from '../core/index.js';

/** DTypeError unless `v` is a Float32Array or Float64Array; `op: name` names it. */
export function checkOperand(op: string, name: string, v: unknown): asserts v is FloatArray {
  if (!(v instanceof Float32Array || v instanceof Float64Array)) {
    throw new DTypeError(`${op}: ${name} must be a Float32Array or Float64Array, got ${describe(v)}`);
  }
}

/** ShapeError unless every dimension is a non-negative integer. */
export function checkDims(op: string, dims: Readonly<Record<string, unknown>>): void {
  for (const [name, d] of Object.entries(dims)) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${op}: ${name} must be a non-negative integer, got ${describe(d)}`);
    }
  }
}

/** ShapeError unless operand `name` (already checked) has `expected` elements (`formula`, e.g. 'm*k', says why). */
export function checkLength(op: string, name: string, v: FloatArray, expected: number, formula = ''): void {
  if (v.length !== expected) {
    throw new ShapeError(`${op}: ${name} must have ${formula === '' ? '' : `${formula} = `}${expected} elements, got ${describe(v)}`);
  }
}

/**
 * Flags: undefined, or an object whose `allowed` keys hold booleans (or undefined); `name` is how the caller wrote
 * the argument. Other keys are left alone: TypeScript lets a wider record (e.g. an MlpLayer) stand for the flags.
 */
export function checkFlags(op: string, flags: unknown, allowed: readonly string[], name = 'flags'): void {
  if (flags === undefined) return;
  if (typeof flags !== 'object' || flags === null || Array.isArray(flags)) {
    throw new DomainError(`${op}: ${name} must be an object or undefined, got ${describe(flags)}`);
  }
  for (const key of allowed) {
    const value = (flags as Record<string, unknown>)[key];
    if (value !== undefined && typeof value !== 'boolean') {
      throw new DomainError(`${op}: ${name}.${key} must be a boolean or undefined, got ${describe(value)}`);
    }
  }
}

/** The checks of `matmul(a, b, m, k, n, flags)` (and of `linear`'s x, w, dims): kinds, dimensions, lengths. */
export function checkGemm(op: string, names: readonly [string, string], a: unknown, b: unknown, m: unknown, k: unknown, n: unknown): void {
  checkOperand(op, names[0], a);
  checkOperand(op, names[1], b);
  checkDims(op, { m, k, n });
  const [mm, kk, nn] = [m, k, n] as [number, number, number];
  checkLength(op, names[0], a, mm * kk, 'm*k');
  checkLength(op, names[1], b, kk * nn, 'k*n');
}

export const MATMUL_FLAGS = ['transposeA', 'transposeB'] as const;
export const LINEAR_FLAGS = ['transposeB', 'relu'] as const;

// The argument checks of each Backend method, shared by every backend that implements the method itself.

/** Arguments of `Backend.matmul`. */
export function checkMatmulArgs(a: unknown, b: unknown, m: unknown, k: unknown, n: unknown, flags: unknown): void {
  checkGemm('matmul', ['a', 'b'], a, b, m, k, n);
  checkFlags('matmul', flags, MATMUL_FLAGS);
}

/** Arguments of `Backend.reluBackward`. */
export function checkReluBackwardArgs(x: unknown, dy: unknown): void {
  checkOperand('reluBackward', 'x', x);
  checkOperand('reluBackward', 'dy', dy);
  checkLength('reluBackward', 'dy', dy, x.length, 'x.length');
}

/** Arguments of `Backend.linear`. */
export function checkLinearArgs(x: unknown, w: unknown, bias: unknown, m: unknown, k: unknown, n: unknown, flags: unknown): void {
  checkGemm('linear', ['x', 'w'], x, w, m, k, n);
  if (bias !== null) {
    checkOperand('linear', 'bias', bias);
    checkLength('linear', 'bias', bias, n as number, 'n');
  }
  checkFlags('linear', flags, LINEAR_FLAGS);
}

/** Arguments of `Backend.addBias`. */
export function checkAddBiasArgs(x: unknown, bias: unknown, rows: unknown, cols: unknown): void {
  checkOperand('addBias', 'x', x);
  checkOperand('addBias', 'bias', bias);
  checkDims('addBias', { rows, cols });
  checkLength('addBias', 'x', x, (rows as number) * (cols as number), 'rows*cols');
  checkLength('addBias', 'bias', bias, cols as number, 'cols');
}
