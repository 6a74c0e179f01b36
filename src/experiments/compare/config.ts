/**
 * Checks of a CompareConfig / PropagateConfig and of the data handed with it, before any computing: every field is
 * named as it is written in the config (`config.steps`), with the allowed range and the value given.
 */
import { DomainError, ShapeError, describe } from '../../core/errors.js';
import { getInitializer } from '../../init/index.js';
import { checkDataset } from '../../nn/data/dataset.js';
import type { ClassLabels, Dataset } from '../../nn/index.js';
import { checkConfidence } from '../stats.js';
import type { CompareConfig, PropagateConfig, SchemeSpec } from './types.js';

/** Default of the optional `anchorBatchSize`: LPS-R needs at least fan_in + 1 rows (785 on MNIST). */
export const DEFAULT_ANCHOR_BATCH = 1024;

function posInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new DomainError(`${name} must be a positive integer, got ${describe(v)}`);
  return v;
}

function positive(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new DomainError(`${name} must be a finite number > 0, got ${describe(v)}`);
  return v;
}

function record(name: string, v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new DomainError(`${name} must be an object, got ${describe(v)}`);
  return v as Record<string, unknown>;
}

/** Seeds: a non-empty array of distinct non-negative safe integers. */
function checkSeeds(v: unknown, name: string): void {
  if (!Array.isArray(v) || v.length === 0) throw new DomainError(`${name} must be a non-empty array of seeds (integers ≥ 0), got ${describe(v)}`);
  const seen = new Set<number>();
  v.forEach((s: unknown, i) => {
    if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0) throw new DomainError(`${name}[${i}] must be an integer in [0, 2^53 − 1], got ${describe(s)}`);
    if (seen.has(s)) throw new DomainError(`${name} holds seed ${s} twice (paired statistics need distinct seeds)`);
    seen.add(s);
  });
}

/** Schemes: a non-empty array of SchemeSpec (from `schemeSpec`) naming registered initializers. */
function checkSchemes(v: unknown, name: string): void {
  if (!Array.isArray(v) || v.length === 0) throw new DomainError(`${name} must be a non-empty array of SchemeSpec (see schemeSpec), got ${describe(v)}`);
  v.forEach((s: unknown, i) => {
    const r = record(`${name}[${i}]`, s) as Partial<SchemeSpec>;
    for (const k of ['id', 'name', 'label'] as const) {
      if (typeof r[k] !== 'string' || r[k].length === 0) throw new DomainError(`${name}[${i}].${k} must be a non-empty string (build schemes with schemeSpec), got ${describe(r[k])}`);
    }
    record(`${name}[${i}].options`, r.options);
    if (!['second-moment', 's-moment', 'meanfield', 'gamma-balance'].includes(r.preserves as string)) {
      throw new DomainError(`${name}[${i}].preserves must be 'second-moment', 's-moment', 'meanfield' or 'gamma-balance', got ${describe(r.preserves)}`);
    }
    if (!['uniform', 'meanfield', 'scaling-calculus', 'mup'].includes(r.lrRule as string)) {
      throw new DomainError(`${name}[${i}].lrRule must be 'uniform', 'meanfield', 'scaling-calculus' or 'mup', got ${describe(r.lrRule)}`);
    }
    getInitializer(r.name as string); // an unknown name lists the known ones
  });
}

function checkCommon(c: Record<string, unknown>, name: string): void {
  if (typeof c['data'] !== 'string') throw new DomainError(`${name}.data must be a description string, got ${describe(c['data'])}`);
  checkSchemes(c['schemes'], `${name}.schemes`);
  checkSeeds(c['seeds'], `${name}.seeds`);
  positive(`${name}.sMoment`, c['sMoment']);
  checkConfidence(c['confidence'], `${name}.confidence`);
  if (c['dtype'] !== 'float32' && c['dtype'] !== 'float64') throw new DomainError(`${name}.dtype must be 'float32' or 'float64', got ${describe(c['dtype'])}`);
  if (c['anchorBatchSize'] !== undefined) posInt(`${name}.anchorBatchSize`, c['anchorBatchSize']);
}

/** Every field of a CompareConfig (DomainError / ShapeError naming `config.<field>`). */
export function checkCompareConfig(config: unknown): CompareConfig {
  const c = record('config', config);
  checkCommon(c, 'config');
  const w = c['widths'];
  if (!Array.isArray(w) || w.length < 3) throw new ShapeError(`config.widths must be [d_in, N_1, …, N_depth, classes] with at least one hidden layer, got ${describe(w)}`);
  w.forEach((x: unknown, i) => posInt(`config.widths[${i}]`, x));
  if ((w[w.length - 1] as number) < 2) throw new DomainError(`config.widths must end with at least 2 classes, got ${describe(w[w.length - 1])}`);
  if (c['activation'] !== 'relu') throw new DomainError(`config.activation must be 'relu', got ${describe(c['activation'])}`);
  for (const k of ['signalBatches', 'signalBatchSize', 'steps', 'batchSize', 'logEvery', 'testSize', 'trainSize'] as const) posInt(`config.${k}`, c[k]);
  if ((c['logEvery'] as number) > (c['steps'] as number)) throw new DomainError(`config.logEvery must be at most config.steps (${describe(c['steps'])}), got ${describe(c['logEvery'])}`);
  if (c['optimizer'] !== 'sgd' && c['optimizer'] !== 'adam') throw new DomainError(`config.optimizer must be 'sgd' or 'adam', got ${describe(c['optimizer'])}`);
  positive('config.lr', c['lr']);
  const m = c['momentum'];
  if (typeof m !== 'number' || !(m >= 0 && m < 1)) throw new DomainError(`config.momentum must be a number in [0, 1), got ${describe(m)}`);
  return config as CompareConfig;
}

/** Every field of a PropagateConfig (DomainError / ShapeError naming `config.<field>`). */
export function checkPropagateConfig(config: unknown): PropagateConfig {
  const c = record('config', config);
  checkCommon(c, 'config');
  posInt('config.inputDim', c['inputDim']);
  posInt('config.batchSize', c['batchSize']);
  if (posInt('config.classes', c['classes']) < 2) throw new DomainError(`config.classes must be at least 2, got ${describe(c['classes'])}`);
  for (const k of ['widths', 'depths'] as const) {
    const v = c[k];
    if (!Array.isArray(v) || v.length === 0) throw new DomainError(`config.${k} must be a non-empty array of positive integers, got ${describe(v)}`);
    v.forEach((x: unknown, i) => posInt(`config.${k}[${i}]`, x));
  }
  return config as PropagateConfig;
}

/**
 * A classification dataset named `name` whose samples have `inputDim` features, labels below `classes` and at least
 * `rows` samples (ShapeError / DomainError naming it otherwise).
 */
export function checkData(d: unknown, name: string, inputDim: number, classes: number, rows: number, rowsWhy: string): Dataset<ClassLabels> {
  const ds = checkDataset(d, name);
  const features = ds.shape.slice(1).reduce((a, b) => a * b, 1);
  if (features !== inputDim) throw new ShapeError(`${name} must have ${inputDim} features per sample (the network's input width), got shape ${describe([...ds.shape])}`);
  if (ds.y.kind !== 'labels') throw new DomainError(`${name} must hold class labels, got ${ds.y.kind}`);
  if (ds.y.classes > classes) throw new DomainError(`${name} has ${ds.y.classes} classes, the network only ${classes} outputs`);
  const n = ds.shape[0] as number;
  if (n < rows) throw new ShapeError(`${name} must hold at least ${rows} samples (${rowsWhy}), got ${n}`);
  return ds as Dataset<ClassLabels>;
}
