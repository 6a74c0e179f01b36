/**
 * `runCompare`: the engine of `initlab compare`. Every scheme at every seed: signal propagation at init on real data
 * batches, then a fixed-budget training run; the statistics over seeds, the ranking and the findings.
 */
import { DomainError, describe } from '../../core/errors.js';
import { DataLoader, mlp, type ClassLabels, type Dataset, type Sequential } from '../../nn/index.js';
import { keyedSeed } from '../seeds.js';
import { tInterval } from '../stats.js';
import { checkCompareConfig, checkData, DEFAULT_ANCHOR_BATCH } from './config.js';
import { headOf, seedData, type SeedData } from './data.js';
import { compareFindings } from './findings.js';
import { runMeta } from './meta.js';
import { measureSignal } from './signal.js';
import { trainRun } from './train.js';
import type { CompareConfig, CompareProgress, CompareResult, SchemeResult, SchemeSpec, SeedRun, SignalRun } from './types.js';
import { preservedOf, schemeS } from './yardstick.js';

/** Options of `runCompare` and `runPropagate`. */
export interface RunOptions {
  /** Called as the work advances (the engine never writes to the terminal). */
  readonly onProgress?: (e: CompareProgress) => void;
  /** The command line or API call that produced the result, kept in RunMeta; default 'runCompare' / 'runPropagate'. */
  readonly command?: string;
}

/** Rows of a test batch in evaluation (no gradient, so only memory bounds it). */
const TEST_BATCH = 500;

/** The checked options of a run: the progress callback, the command, and the test for the callback's own exceptions. */
export interface CheckedRunOptions {
  readonly onProgress: (e: CompareProgress) => void;
  readonly command: string;
  /** Rethrows `e` when it came from the caller's onProgress (it ends the run); returns it otherwise. */
  readonly passThrough: (e: unknown) => unknown;
}

/**
 * `options` of runCompare / runPropagate, checked. An exception of the caller's onProgress ends the run unchanged
 * (`passThrough` in the per-scheme error capture) instead of being recorded as the scheme's error.
 */
export function checkRunOptions(options: unknown, dflt: string): CheckedRunOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw new DomainError(`options must be an object { onProgress?, command? }, got ${describe(options)}`);
  const o = (options ?? {}) as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => k !== 'onProgress' && k !== 'command');
  if (extra.length > 0) throw new DomainError(`unknown option options.${extra[0]} (known: onProgress, command)`);
  if (o['onProgress'] !== undefined && typeof o['onProgress'] !== 'function') throw new DomainError(`options.onProgress must be a function, got ${describe(o['onProgress'])}`);
  if (o['command'] !== undefined && typeof o['command'] !== 'string') throw new DomainError(`options.command must be a string, got ${describe(o['command'])}`);
  const f = o['onProgress'] as ((e: CompareProgress) => void) | undefined;
  const thrown = new Set<unknown>();
  const onProgress = (e: CompareProgress): void => {
    try {
      f?.(e);
    } catch (err) {
      thrown.add(err);
      throw err;
    }
  };
  const passThrough = (e: unknown): unknown => {
    if (thrown.has(e)) throw e;
    return e;
  };
  return { onProgress, command: (o['command'] as string | undefined) ?? dflt, passThrough };
}

/** The message of an error a scheme threw, for SeedRun.error. */
export function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/**
 * The network of `spec` at `seed`: `mlp()` with the scheme's registry name and options, drawn from the stream keyed
 * by (spec.id, seed) (`keyedSeed`), never by the scheme's position; data-anchored schemes get the seed's anchor batch.
 */
export function schemeNetwork(spec: SchemeSpec, widths: readonly number[], seed: number, sd: SeedData, dtype: CompareConfig['dtype']): Sequential {
  return mlp({ widths, activation: 'relu', init: spec.name, initOptions: spec.options, seed: keyedSeed(spec.id, seed), data: sd.anchor, dtype });
}

/** Scheme ids by mean test accuracy, best first; schemes without a completed run last; ties by id. */
export function rankByAccuracy(results: readonly SchemeResult[]): string[] {
  const key = (r: SchemeResult): number => (Number.isFinite(r.testAccuracy.mean) ? r.testAccuracy.mean : -Infinity);
  return [...results].sort((a, b) => key(b) - key(a) || (a.scheme.id < b.scheme.id ? -1 : a.scheme.id > b.scheme.id ? 1 : 0)).map((r) => r.scheme.id);
}

/**
 * Compare the schemes of `config` on `data` (train and test splits of a classification set whose samples have
 * widths[0] features). Common random numbers: seed k's data (signal batches, anchor batch: `seedData`, and the
 * training order, keyedSeed('train', k)) depend only on k, so every scheme sees the same batches; a scheme's weights
 * come from keyedSeed(scheme.id, k), so the same scheme listed twice gives identical rows and reordering the schemes
 * changes no scheme's numbers. Per scheme and seed: `measureSignal` at init, then `trainRun`. A scheme that throws is
 * recorded with its error (SeedRun.error) and the comparison goes on. Statistics: Student-t intervals over the seeds
 * that completed (`tInterval`), the yardstick (`preservedOf`), ranking by mean test accuracy, findings
 * (`compareFindings`). Same config, data and backend → the same numbers, bit for bit (only the timings differ).
 */
export function runCompare(
  config: CompareConfig,
  data: { train: Dataset<ClassLabels>; test: Dataset<ClassLabels> },
  options?: RunOptions,
): CompareResult {
  const cfg = checkCompareConfig(config);
  const { onProgress, command, passThrough } = checkRunOptions(options, 'runCompare');
  if (typeof data !== 'object' || data === null) throw new DomainError(`data must be { train, test } datasets, got ${describe(data)}`);
  const d = cfg.widths[0]!;
  const classes = cfg.widths[cfg.widths.length - 1]!;
  const anchor = cfg.anchorBatchSize ?? DEFAULT_ANCHOR_BATCH;
  const needed = cfg.signalBatches * cfg.signalBatchSize + anchor;
  if (cfg.trainSize < needed) {
    throw new DomainError(`config.trainSize must be at least signalBatches·signalBatchSize + anchorBatchSize = ${needed} (the signal and anchor batches are drawn from the training subset), got ${cfg.trainSize}`);
  }
  const train = headOf(checkData(data.train, 'data.train', d, classes, cfg.trainSize, 'config.trainSize'), cfg.trainSize);
  const test = headOf(checkData(data.test, 'data.test', d, classes, cfg.testSize, 'config.testSize'), cfg.testSize);
  const started = new Date();
  const t0 = performance.now();
  const total = cfg.schemes.length * cfg.seeds.length * 2;
  let done = 0;
  const perSeed = new Map(cfg.seeds.map((s) => [s, seedData(train, s, cfg.signalBatches, cfg.signalBatchSize, anchor, cfg.dtype)]));
  const testLoader = new DataLoader(test, { batchSize: Math.min(TEST_BATCH, cfg.testSize), shuffle: false, dtype: cfg.dtype });

  const oneRun = (spec: SchemeSpec, seed: number): SeedRun => {
    const base = done;
    try {
      onProgress({ done, total, label: `${spec.id} seed ${seed}: signal at init` });
      const model = schemeNetwork(spec, cfg.widths, seed, perSeed.get(seed)!, cfg.dtype);
      const signal = measureSignal(model, perSeed.get(seed)!.signal, schemeS(spec, cfg.sMoment));
      done = base + 1;
      onProgress({ done, total, label: `${spec.id} seed ${seed}: training` });
      const loader = new DataLoader(train, { batchSize: cfg.batchSize, seed: keyedSeed('train', seed), dtype: cfg.dtype });
      const tr = trainRun(spec, model, cfg, loader, testLoader, (step) => onProgress({ done, total, label: `${spec.id} seed ${seed}: training, step ${step}/${cfg.steps}` }));
      done = base + 2;
      return { seed, signal, train: tr };
    } catch (e) {
      // One scheme failing must not lose the others: the error is recorded, never dropped.
      done = base + 2;
      return { seed, error: errorText(passThrough(e)) };
    }
  };

  const schemes: SchemeResult[] = cfg.schemes.map((spec) => {
    const runs = cfg.seeds.map((seed) => oneRun(spec, seed));
    const ok = runs.flatMap((r) => ('train' in r ? [r] : []));
    const signals: SignalRun[] = ok.map((r) => r.signal);
    return {
      scheme: spec,
      runs,
      testAccuracy: tInterval(ok.map((r) => r.train.testAccuracy), cfg.confidence),
      finalLoss: tInterval(ok.map((r) => r.train.loss[r.train.loss.length - 1] ?? NaN), cfg.confidence),
      preserved: preservedOf(spec, signals, cfg.widths, cfg.sMoment, cfg.confidence),
    };
  });
  const ranking = rankByAccuracy(schemes);
  const findings = compareFindings(schemes, ranking, cfg.confidence);
  onProgress({ done: total, total, label: 'done' });
  return { config: cfg, meta: runMeta(started, performance.now() - t0, command), schemes, ranking, findings };
}
