/**
 * `initlab sweep --grid grid.json`: the grid as a JSON file — widths, depths, schemes (as on the command line,
 * `name:k=v`), seeds, and optionally the training budget — read and checked once; every fault names the file and key.
 */
import { readFileSync } from 'node:fs';
import { describe } from '../../core/errors.js';
import { UsageError } from '../framework/flags.js';

/** What a grid file may hold; a key left out falls back to the flag or its default. */
export interface GridFile {
  readonly widths?: number[];
  readonly depths?: number[];
  readonly schemes?: string[];
  readonly seeds?: number[];
  readonly steps?: number;
  readonly batch?: number;
  readonly lr?: number;
  readonly optimizer?: 'sgd' | 'adam';
  readonly momentum?: number;
  readonly logEvery?: number;
  readonly coordSteps?: number;
}

const INT_LISTS = { widths: [1, 8192], depths: [1, 1000], seeds: [0, Number.MAX_SAFE_INTEGER] } as const;
const INTS = { steps: [1, 1e7], batch: [1, 1 << 16], logEvery: [1, 1e6], coordSteps: [0, 1000] } as const;
const FLOATS = { lr: [0, 10], momentum: [0, 0.999] } as const;
const KEYS = ['schemes', 'optimizer', ...Object.keys(INT_LISTS), ...Object.keys(INTS), ...Object.keys(FLOATS)];

/** Read and check the grid file `file` (a UsageError naming the file and the key for any fault). */
export function readGridFile(file: string): GridFile {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`--grid ${describe(file)} is not a readable JSON file (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UsageError(`--grid ${describe(file)} must hold a JSON object { widths, depths, schemes, seeds, … }, got ${describe(v)}`);
  const o = v as Record<string, unknown>;
  const bad = (key: string, what: string): UsageError => new UsageError(`--grid ${describe(file)}: "${key}" must be ${what}, got ${describe(o[key])}`);
  const extra = Object.keys(o).filter((k) => !KEYS.includes(k));
  if (extra.length > 0) throw new UsageError(`--grid ${describe(file)}: unknown key "${extra[0]}" (known: ${KEYS.join(', ')})`);
  for (const [k, [lo, hi]] of Object.entries(INT_LISTS)) {
    const x = o[k];
    if (x !== undefined && (!Array.isArray(x) || x.length === 0 || !x.every((n) => Number.isInteger(n) && n >= lo && n <= hi) || new Set(x).size !== x.length)) {
      throw bad(k, `a non-empty list of distinct integers in [${lo}, ${hi}]`);
    }
  }
  for (const [k, [lo, hi]] of Object.entries(INTS)) {
    const x = o[k];
    if (x !== undefined && !(Number.isInteger(x) && (x as number) >= lo && (x as number) <= hi)) throw bad(k, `an integer in [${lo}, ${hi}]`);
  }
  for (const [k, [lo, hi]] of Object.entries(FLOATS)) {
    const x = o[k];
    if (x !== undefined && !(typeof x === 'number' && Number.isFinite(x) && x >= lo && x <= hi && (k !== 'lr' || x > 0))) throw bad(k, `a number in ${k === 'lr' ? '(' : '['}${lo}, ${hi}]`);
  }
  const s = o['schemes'];
  if (s !== undefined && (!Array.isArray(s) || s.length === 0 || !s.every((x) => typeof x === 'string' && x !== ''))) throw bad('schemes', 'a non-empty list of scheme strings like "kaiming_normal" or "fractional:s=1.5"');
  if (o['optimizer'] !== undefined && o['optimizer'] !== 'sgd' && o['optimizer'] !== 'adam') throw bad('optimizer', '"sgd" or "adam"');
  return o as GridFile;
}
