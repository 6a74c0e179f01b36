/**
 * The one error hierarchy of initlab.
 *
 * It lives in src/core, which imports nothing and is imported by every layer (init, kernels, tensor, nn, …), so
 * there is one copy of each class and `instanceof` works across the whole package.
 *
 * Messages name the argument, what was expected and what was given, e.g.
 *   DomainError: s must be in (0, 2], got 2.5
 */
export class InitlabError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Mismatched, non-broadcastable or malformed shapes; bad dimensions. */
export class ShapeError extends InitlabError {}

/** A parameter outside its allowed range or set (γ ∉ [1/2, 1], s ∉ (0, 2], unknown mode, ...). */
export class DomainError extends InitlabError {}

/** NaN or ±Inf where a finite value is required. */
export class NonFiniteError extends DomainError {}

/** Wrong element type (float32 vs float64, an unknown dtype, non-integer labels, ...); a kind of DomainError. */
export class DTypeError extends DomainError {}

/** Autograd misuse: backward() on a non-scalar without a seed, gradient of a non-differentiable op, ... */
export class GradError extends InitlabError {}

/** A backend cannot be created or used (no GPU context, unknown backend name, ...). */
export class BackendError extends InitlabError {}

/** Short, stable rendering of a value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return String(value); // the value given, not just its type
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  return typeof value;
}

/** Throw a NonFiniteError naming `name` unless `x` is finite. */
export function assertFinite(name: string, x: number): void {
  if (!Number.isFinite(x)) throw new NonFiniteError(`${name} must be a finite number, got ${describe(x)}`);
}

/** Throw a ShapeError unless `n` is a positive integer. */
export function assertPositiveInt(name: string, n: number): void {
  if (!Number.isInteger(n) || n <= 0) {
    throw new ShapeError(`${name} must be a positive integer, got ${describe(n)}`);
  }
}
