/**
 * The grid of a sweep: the config checked once at the public boundary, expanded into jobs (widths × depths ×
 * schemes × seeds, in that nesting), each keyed by its canonical configuration.
 */
import { DomainError, describe } from '../../core/errors.js';
import type { SweepConfig, SweepJob } from './types.js';

/** A list of positive integers (non-empty, no repeats) at `name`. */
function intList(name: string, v: unknown, min: number): number[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => Number.isInteger(x) && (x as number) >= min)) {
    throw new DomainError(`${name} must be a non-empty list of integers ≥ ${min}, got ${describe(v)}`);
  }
  if (new Set(v).size !== v.length) throw new DomainError(`${name} must not repeat a value, got ${describe(v)}`);
  return v as number[];
}

function intIn(name: string, v: unknown, min: number): number {
  if (!Number.isInteger(v) || (v as number) < min) throw new DomainError(`${name} must be an integer ≥ ${min}, got ${describe(v)}`);
  return v as number;
}

/**
 * `config` checked: lists non-empty without repeats, sizes in range, the anchor and signal batches within the
 * training rows, schemes with distinct ids. Returns it unchanged; a DomainError naming the field otherwise.
 */
export function checkSweepConfig(config: SweepConfig): SweepConfig {
  if (typeof config !== 'object' || config === null) throw new DomainError(`config must be a SweepConfig object, got ${describe(config)}`);
  const c = config;
  intList('config.widths', c.widths, 1);
  intList('config.depths', c.depths, 1);
  intList('config.seeds', c.seeds, 0);
  if (!Array.isArray(c.schemes) || c.schemes.length === 0) throw new DomainError(`config.schemes must be a non-empty list of SchemeSpec, got ${describe(c.schemes)}`);
  const ids = c.schemes.map((s) => s.id);
  if (new Set(ids).size !== ids.length) throw new DomainError(`config.schemes must have distinct ids, got ${describe(ids)}`);
  for (const k of ['steps', 'batchSize', 'logEvery', 'signalBatchSize', 'anchorBatchSize', 'trainSize', 'testSize'] as const) intIn(`config.${k}`, c[k], 1);
  intIn('config.coordSteps', c.coordSteps, 0);
  if (c.coordSteps > c.steps) throw new DomainError(`config.coordSteps must be at most config.steps = ${c.steps}, got ${c.coordSteps}`);
  if (c.signalBatchSize + c.anchorBatchSize > c.trainSize) {
    throw new DomainError(`config.trainSize must be at least signalBatchSize + anchorBatchSize = ${c.signalBatchSize + c.anchorBatchSize}, got ${c.trainSize}`);
  }
  if (!(c.lr > 0 && Number.isFinite(c.lr))) throw new DomainError(`config.lr must be a finite number > 0, got ${describe(c.lr)}`);
  if (!(c.momentum >= 0 && c.momentum < 1)) throw new DomainError(`config.momentum must be in [0, 1), got ${describe(c.momentum)}`);
  if (!(c.sMoment > 0 && Number.isFinite(c.sMoment))) throw new DomainError(`config.sMoment must be a finite number > 0, got ${describe(c.sMoment)}`);
  if (!(c.confidence > 0 && c.confidence < 1)) throw new DomainError(`config.confidence must be in (0, 1), got ${describe(c.confidence)}`);
  if (c.optimizer !== 'sgd' && c.optimizer !== 'adam') throw new DomainError(`config.optimizer must be 'sgd' or 'adam', got ${describe(c.optimizer)}`);
  if (c.dtype !== 'float32' && c.dtype !== 'float64') throw new DomainError(`config.dtype must be 'float32' or 'float64', got ${describe(c.dtype)}`);
  for (const k of ['data', 'dataChecksum', 'backend'] as const) {
    if (typeof c[k] !== 'string' || c[k] === '') throw new DomainError(`config.${k} must be a non-empty string, got ${describe(c[k])}`);
  }
  return c;
}

/** The jobs of a checked config, widths outermost, then depths, schemes, seeds. */
export function sweepJobs(c: SweepConfig): SweepJob[] {
  const { widths, depths, schemes, seeds, schemes: _s, confidence: _c, ...shared } = c;
  return widths.flatMap((width) =>
    depths.flatMap((depth) =>
      schemes.flatMap((s) => seeds.map((seed): SweepJob => ({ ...shared, width, depth, scheme: { id: s.id, name: s.name, options: s.options }, seed }))),
    ),
  );
}

/** JSON with every object's keys sorted: the same configuration always gives the same text. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The key of a job in the log: its canonical configuration. */
export const jobKey = (job: SweepJob): string => canonicalJson(job);

/**
 * FNV-1a (32-bit) over the bytes of the rows and labels of every dataset, as 8 hex digits: a job's key changes when
 * its data does, even under the same description. Not a cryptographic hash; it guards against mistakes, not attacks.
 */
export function dataChecksum(...sets: readonly { readonly x: Float32Array; readonly y: { readonly values: Uint8Array | Int32Array } }[]): string {
  let h = 0x811c9dc5;
  for (const d of sets) {
    for (const a of [d.x, d.y.values]) {
      const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ (bytes[i] as number), 0x01000193);
    }
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
