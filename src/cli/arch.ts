/**
 * Architectures on the command line: `784-300-100-10` (layer widths of a ReLU MLP), or for `design` a JSON file of
 * scaling-calculus ops. Malformed strings are one-line UsageErrors naming the argument, the part at fault and the
 * expected form.
 */
import { readFileSync } from 'node:fs';
import { describe } from '../core/errors.js';
import type { ScalingOp } from '../init/index.js';
import { UsageError } from './framework/flags.js';

/** Largest width accepted on the command line. */
export const MAX_WIDTH = 1 << 20;

/**
 * `text` (written `what` in errors, e.g. `--arch`) as layer widths: at least two positive integers joined by '-'.
 * `784--10` (an empty width), `784-0-10` (a zero width), `abc` and a single width are UsageErrors.
 */
export function parseWidths(text: string, what: string): number[] {
  const form = 'layer widths joined by "-", like 784-300-100-10';
  const parts = text.split('-');
  if (parts.length < 2) throw new UsageError(`${what} ${describe(text)} must be ${form} (at least an input and an output width)`);
  return parts.map((p, i) => {
    if (p === '') throw new UsageError(`${what} ${describe(text)}: width ${i + 1} is empty; it must be ${form}`);
    if (!/^\d+$/.test(p)) throw new UsageError(`${what} ${describe(text)}: width ${i + 1} is ${describe(p)}, not a positive integer; it must be ${form}`);
    const n = Number(p);
    if (n < 1 || n > MAX_WIDTH) throw new UsageError(`${what} ${describe(text)}: width ${i + 1} is ${p}; each width must be an integer in [1, ${MAX_WIDTH}]`);
    return n;
  });
}

/** An architecture for the scaling calculus: MLP widths, or ops from a JSON file with their input shape. */
export type DesignArch =
  | { readonly kind: 'widths'; readonly widths: readonly number[] }
  | { readonly kind: 'ops'; readonly file: string; readonly ops: readonly ScalingOp[]; readonly inputShape: readonly number[] };

/**
 * `text` as a design architecture: a path ending in `.json` is read as `[op, …]` or `{ "inputShape": [...], "ops":
 * [...] }` (ops as `scalingReport` takes them; without inputShape the first op must be dense and gives `[nIn]`);
 * anything else is parsed as widths. The ops themselves are checked by `scalingReport`.
 */
export function parseDesignArch(text: string, what: string): DesignArch {
  if (!text.toLowerCase().endsWith('.json')) return { kind: 'widths', widths: parseWidths(text, what) };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(text, 'utf8'));
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new UsageError(`${what} ${describe(text)} cannot be read as JSON (${typeof code === 'string' ? code : (e as Error).message})`);
  }
  const rec = (typeof json === 'object' && json !== null && !Array.isArray(json) ? json : {}) as { ops?: unknown; inputShape?: unknown };
  const ops = Array.isArray(json) ? json : rec.ops;
  if (!Array.isArray(ops) || ops.length === 0) {
    throw new UsageError(`${what} ${describe(text)} must hold a non-empty array of ops or { "inputShape": [...], "ops": [...] }, got ${describe(json)}`);
  }
  let inputShape = rec.inputShape;
  if (inputShape === undefined) {
    const first = ops[0] as { kind?: unknown; nIn?: unknown } | null;
    if (typeof first !== 'object' || first === null || first.kind !== 'dense') {
      throw new UsageError(`${what} ${describe(text)}: give "inputShape" ([n] or [C, H, W]); it is inferred only when the first op is dense`);
    }
    inputShape = [first.nIn];
  }
  if (!Array.isArray(inputShape)) throw new UsageError(`${what} ${describe(text)}: "inputShape" must be [n] or [C, H, W], got ${describe(inputShape)}`);
  // The ops and the shape are validated by scalingReport (DomainErrors naming ops[i].key); here they are only data.
  return { kind: 'ops', file: text, ops: ops as ScalingOp[], inputShape: inputShape as number[] };
}
