/**
 * `runPropagate`: the engine of `initlab propagate`. Signal propagation at init, no training, over a grid of depths ×
 * widths: every scheme at every seed, its yardstick and the dead-unit fraction at the last hidden layer.
 */
import { DomainError, describe } from '../../core/errors.js';
import type { ClassLabels, Dataset } from '../../nn/index.js';
import { tInterval } from '../stats.js';
import { checkData, checkPropagateConfig, DEFAULT_ANCHOR_BATCH } from './config.js';
import { seedData } from './data.js';
import { runMeta } from './meta.js';
import { checkRunOptions, errorText, schemeNetwork, type RunOptions } from './run.js';
import { measureSignal } from './signal.js';
import type { Finding, PropagateCell, PropagateConfig, PropagateResult, SchemeSpec, SignalRun } from './types.js';
import { PRESERVE_BAND, preservedOf, schemeS } from './yardstick.js';

const num = (x: number): string => (Number.isFinite(x) ? x.toPrecision(3) : String(x));

/**
 * One finding per scheme: 'fails-to-preserve' listing the cells whose interval excludes the prediction, else
 * 'preserves' when every cell is confirmed (within a factor PRESERVE_BAND), else 'noise' listing the cells that are
 * consistent with the theory but too wide to support it.
 */
function propagateFindings(schemes: readonly SchemeSpec[], cells: readonly PropagateCell[], confidence: number): Finding[] {
  const seen = new Set<string>();
  const lvl = `${Math.round(confidence * 1000) / 10}%`;
  const list = (cs: readonly PropagateCell[]): string => cs.map((c) => `depth ${c.depth}, width ${c.width}: ${num(c.preserved.measured.mean)}`).join('; ');
  return schemes.flatMap((spec): Finding[] => {
    if (seen.has(spec.id)) return [];
    seen.add(spec.id);
    const mine = cells.filter((c) => c.scheme === spec.id);
    const q = mine[0]?.preserved.quantity ?? '';
    const failing = mine.filter((c) => !c.preserved.holds);
    const base = { metric: 'preserved' as const, a: spec.id };
    if (failing.length > 0) {
      return [{ ...base, kind: 'fails-to-preserve', text: `${spec.label} does not keep what it promises in ${failing.length} of ${mine.length} cells (${q}, theory 1, ${lvl} intervals): ${list(failing)}` }];
    }
    const loose = mine.filter((c) => c.preserved.confirmed !== true);
    if (loose.length === 0) {
      return [{ ...base, kind: 'preserves', text: `${spec.label} keeps what it promises in all ${mine.length} (depth, width) cells (${q}: each ${lvl} interval lies within a factor ${PRESERVE_BAND} of the theory's 1)` }];
    }
    return [{ ...base, kind: 'noise', text: `Whether ${spec.label} keeps what it promises is within noise in ${loose.length} of ${mine.length} cells (${q}: the ${lvl} interval contains the theory's 1 but reaches beyond a factor ${PRESERVE_BAND} of it): ${list(loose)}` }];
  });
}

/**
 * Sweep `config.depths` × `config.widths`: the MLP [inputDim, width × depth, classes] drawn by each scheme at each
 * seed (stream keyedSeed(scheme.id, seed), as in `runCompare`), measured on one batch of `batchSize` rows of `data`
 * (seed k's batch and anchor batch from `seedData`, the same for every scheme and cell). A scheme that throws is
 * recorded with its error and the sweep goes on.
 */
export function runPropagate(config: PropagateConfig, data: Dataset<ClassLabels>, options?: RunOptions): PropagateResult {
  const cfg = checkPropagateConfig(config);
  const { onProgress, command, passThrough } = checkRunOptions(options, 'runPropagate');
  if (typeof data !== 'object' || data === null) throw new DomainError(`data must be a classification dataset, got ${describe(data)}`);
  const anchor = cfg.anchorBatchSize ?? DEFAULT_ANCHOR_BATCH;
  const ds = checkData(data, 'data', cfg.inputDim, cfg.classes, cfg.batchSize + anchor, 'config.batchSize + anchorBatchSize');
  const started = new Date();
  const t0 = performance.now();
  const perSeed = new Map(cfg.seeds.map((s) => [s, seedData(ds, s, 1, cfg.batchSize, anchor, cfg.dtype)]));
  const total = cfg.schemes.length * cfg.depths.length * cfg.widths.length * cfg.seeds.length;
  let done = 0;
  const cells: PropagateCell[] = [];
  for (const spec of cfg.schemes) {
    for (const depth of cfg.depths) {
      for (const width of cfg.widths) {
        const widths = [cfg.inputDim, ...Array.from({ length: depth }, () => width), cfg.classes];
        const runs = cfg.seeds.map((seed): PropagateCell['runs'][number] => {
          onProgress({ done, total, label: `${spec.id} depth ${depth} width ${width} seed ${seed}` });
          try {
            const sd = perSeed.get(seed)!;
            const signal = measureSignal(schemeNetwork(spec, widths, seed, sd, cfg.dtype), sd.signal, schemeS(spec, cfg.sMoment));
            return { seed, signal };
          } catch (e) {
            return { seed, error: errorText(passThrough(e)) };
          } finally {
            done++;
          }
        });
        const ok: SignalRun[] = runs.flatMap((r) => ('signal' in r ? [r.signal] : []));
        cells.push({
          scheme: spec.id, depth, width, runs,
          preserved: preservedOf(spec, ok, widths, cfg.sMoment, cfg.confidence),
          lastDead: tInterval(ok.map((s) => s.deadFraction[s.deadFraction.length - 1]!), cfg.confidence),
        });
      }
    }
  }
  onProgress({ done: total, total, label: 'done' });
  return { config: cfg, meta: runMeta(started, performance.now() - t0, command), cells, findings: propagateFindings(cfg.schemes, cells, cfg.confidence) };
}
