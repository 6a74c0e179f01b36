/**
 * Balancing by the Defazio–Bottou scaling calculus (docs/schemes/scaling.md; **reconstruction**): one-shot balanced
 * variances s_l·sqrt(γ_l/γ_ref), per-layer learning-rate multipliers sqrt(γ_ref/γ_l), a common output scale, and the
 * one-shot balancing of existing weights. γ_ref is the geometric mean of the γ_l of a `ScalingReport`.
 */
import { DomainError, ShapeError, describe } from '../../core/errors.js';
import { booleanParam, checkedOptions, optionKeys, positiveParam } from '../support/options.js';
import type { FloatArray } from '../../core/index.js';
import {
  parseScalingReportOptions,
  reportOf,
  SCALING_REPORT_KEYS,
  type ResolvedScalingReportOptions,
  type LayerReport,
  type ScalingReport,
  type ScalingReportOptions,
} from './calculus.js';
import { secondMoment } from './measure.js';
import { parseScalingOps, type ResolvedScalingOp, type ScalingOp } from './ops.js';

/** The fields of a report's layer these functions read. */
type ReportLayerField = 'balancedVar' | 'lrMultiplier' | 'weightVar';

/**
 * A `ScalingReport` (from `scalingReport`) named `name`: an object whose `layers` is a non-empty array of layer
 * records with the given fields finite and > 0 and `opIndex` a non-negative integer. DomainError naming the field
 * otherwise. Returns the layers.
 */
function reportLayers(report: unknown, fields: readonly ReportLayerField[], name = 'report'): readonly LayerReport[] {
  if (report === null || typeof report !== 'object') throw new DomainError(`${name} must be a ScalingReport (from scalingReport), got ${describe(report)}`);
  const layers: unknown = (report as { layers?: unknown }).layers;
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new DomainError(`${name}.layers must be a non-empty array of layer reports (from scalingReport), got ${describe(layers)}`);
  }
  layers.forEach((l: unknown, i) => {
    if (l === null || typeof l !== 'object') throw new DomainError(`${name}.layers[${i}] must be a layer report, got ${describe(l)}`);
    const rec = l as Record<string, unknown>;
    for (const f of fields) positiveParam(`${name}.layers[${i}].${f}`, rec[f]);
    const op = rec['opIndex'];
    if (typeof op !== 'number' || !Number.isInteger(op) || op < 0) {
      throw new DomainError(`${name}.layers[${i}].opIndex must be a non-negative integer, got ${describe(op)}`);
    }
  });
  return layers as LayerReport[];
}

/** One-shot balanced variances s_l·sqrt(γ_l/γ_ref) (reconstruction): with them, every γ_l equals γ_ref. */
export function balanceVariances(report: ScalingReport): number[] {
  return reportLayers(report, ['balancedVar']).map((l) => l.balancedVar);
}

/** Per-layer learning-rate multipliers λ_l = sqrt(γ_ref/γ_l) (reconstruction): λ_l²·γ_l = γ_ref. */
export function lrMultipliers(report: ScalingReport): number[] {
  return reportLayers(report, ['lrMultiplier']).map((l) => l.lrMultiplier);
}

/**
 * Ops with every weight layer's `weightVar` set from a report's balanced variances (scheme `'given'` then
 * reproduces equal γ). Optionally rescale all variances by a common factor (balance is preserved). `ops` are checked
 * as by `scalingReport`; every layer of `report` must point at a weight op of `ops`.
 */
export function balancedOps(ops: readonly ScalingOp[], report: ScalingReport, commonFactor = 1): ScalingOp[] {
  parseScalingOps(ops, 'ops', 'balancedOps');
  const layers = reportLayers(report, ['balancedVar']);
  const c = positiveParam('commonFactor', commonFactor);
  layers.forEach((l, i) => {
    if (l.opIndex >= ops.length) throw new DomainError(`report does not describe ops: report.layers[${i}].opIndex = ${l.opIndex} but ops has ${ops.length} entries`);
  });
  const byOp = new Map(layers.map((l) => [l.opIndex, l.balancedVar * c]));
  return ops.map((op, i) => {
    const v = byOp.get(i);
    if (v === undefined) return op;
    if (op.kind !== 'dense' && op.kind !== 'conv2d') {
      throw new DomainError(`report does not describe ops: its layer at ops[${i}] is a ${describe(op.kind)} op, not a weight layer`);
    }
    return { ...op, weightVar: v };
  });
}

/** Options of `outputScaleFactor`. */
export interface OutputScaleOptions {
  /** Take the report's balanced variances as the reference; default false. */
  readonly balanced?: boolean;
}

/**
 * Common variance factor c that, applied to every weight layer (e.g. `balancedOps(ops, report, c)`), sets the output
 * second moment E[f²] to `target` while keeping the balance (optional step of the algorithm): in a chain q_out scales
 * as c^L with L weight layers, so c = (target / q_out)^(1/L). With `balanced: true` the report's balanced variances
 * are the reference (their output moment is recomputed from the ratios s_l^bal/s_l).
 */
export function outputScaleFactor(report: ScalingReport, target: number, opts: OutputScaleOptions = {}): number {
  const o = checkedOptions('outputScaleFactor', opts, optionKeys<OutputScaleOptions>({ balanced: true }), 'opts');
  const balanced = booleanParam('opts.balanced', o['balanced'], false);
  const t = positiveParam('target', target);
  const layers = reportLayers(report, balanced ? ['balancedVar', 'weightVar'] : []);
  const L = layers.length;
  let q = positiveParam('report.outputSecondMoment', report.outputSecondMoment);
  if (balanced) for (const l of layers) q *= l.balancedVar / l.weightVar;
  return Math.pow(t / q, 1 / L);
}

/**
 * One-shot balancing of an existing initialization (any scheme; reconstruction): measures E[W_l²] from the given
 * weight arrays (one per weight op, forward order), builds the report with those variances and returns copies of the
 * weights multiplied by (γ_l/γ_ref)^(1/4), after which all γ_l are equal (in the calculus).
 */
export function balanceWeights<T extends FloatArray>(
  ops: readonly ScalingOp[],
  weights: readonly T[],
  options: ScalingReportOptions,
): { weights: T[]; report: ScalingReport; balancedReport: ScalingReport } {
  // scheme and measured are set here (the weights give the variances), so passing them would be ignored silently
  const o = checkedOptions('balanceWeights', options, SCALING_REPORT_KEYS.filter((k) => k !== 'scheme' && k !== 'measured'));
  return balanceResolved(parseScalingOps(ops, 'ops', 'balanceWeights'), weights, parseScalingReportOptions(o));
}

/** `balanceWeights` for validated ops and options (the scheme is set to `'given'` here). */
export function balanceResolved<T extends FloatArray>(
  parsed: readonly ResolvedScalingOp[],
  weights: readonly T[],
  options: ResolvedScalingReportOptions,
): { weights: T[]; report: ScalingReport; balancedReport: ScalingReport } {
  const settings: ResolvedScalingReportOptions = { ...options, scheme: 'given' };
  const weightOps = parsed.flatMap((op, i) => (op.kind === 'dense' || op.kind === 'conv2d' ? [i] : []));
  if (!Array.isArray(weights) || weights.length !== weightOps.length) {
    throw new ShapeError(`weights must hold one array per weight op (${weightOps.length}), got ${describe(weights)}`);
  }
  /** The ops with each weight layer's variance measured from `ws`. */
  const measuredOps = (ws: readonly FloatArray[]): ResolvedScalingOp[] => {
    const out = parsed.slice();
    weightOps.forEach((i, l) => {
      const op = out[i];
      if (op?.kind === 'dense' || op?.kind === 'conv2d') {
        out[i] = { ...op, weightVar: positiveParam(`mean(weights[${l}]²)`, secondMoment(ws[l] as FloatArray)) };
      }
    });
    return out;
  };
  const report = reportOf(measuredOps(weights), settings);
  const out = weights.map((w, l) => {
    const f = (report.layers[l] as LayerReport).weightScale;
    const c = w.slice() as T;
    for (let i = 0; i < c.length; i++) c[i] = (c[i] as number) * f;
    return c;
  });
  return { weights: out, report, balancedReport: reportOf(measuredOps(out), settings) };
}
