/**
 * The scaling report of the Defazio & Bottou scaling calculus (docs/schemes/scaling.md): A. Defazio and L. Bottou,
 * "A scaling calculus for the design and initialization of ReLU networks", Neural Computing and Applications (2022),
 * DOI 10.1007/s00521-022-07308-z (arXiv:1906.04267, "Scaling laws for the principled design, initialization and
 * preconditioning of ReLU networks").
 *
 * Provenance:
 * - Verified: the geometric initialization rule Var(W) ∝ 1/sqrt(fan_in·fan_out) (abstract; JAX `fan_geo_avg`), the
 *   idea of one scaling constant γ_l per layer built from uncentred forward/backward second moments, "preconditioned
 *   via scaling" = equal γ_l.
 * - **Reconstruction** (derived for the scheme page): the exact γ / ς algebra, the per-op propagation rules
 *   (propagation.ts), the gain g = 2, the conv fan convention, the pooling rules, one-shot balancing and per-layer
 *   learning-rate multipliers. User-facing name: "scaling calculus γ (reconstruction after Defazio & Bottou)".
 *
 * For a weight layer with input x, output y, weight variance s and fixed multiplier α:
 * γ = E[(ΔW)²]/E[W²] = α²·P·q(x)·r(y)/s, P = number of output positions (1 for dense).
 */
import { NonFiniteError, ShapeError, describe } from '../../core/errors.js';
import { checkedOptions, enumParam, optionKeys, optionsRecord, positiveIntParam, positiveParam } from '../support/options.js';
import { parseScalingOps, type ResolvedScalingOp, type ScalingOp } from './ops.js';
import { numelOf, propagate, type MomentModel, type PropagationSettings, type ScalingScheme } from './propagation.js';

/** Title used in user-facing output for the reconstructed parts. */
export const SCALING_CALCULUS_TITLE = 'scaling calculus γ (reconstruction after Defazio & Bottou)';

export interface ScalingReportOptions {
  /** Input shape: `[n]` for an MLP or `[C, H, W]` for a convnet. */
  readonly inputShape: readonly number[];
  /** q_in = E[x_0²], default 1. */
  readonly inputSecondMoment?: number;
  /** r_out = E[(Δx_L)²], default 1. */
  readonly outputGradSecondMoment?: number;
  /** Variance numerator g of the schemes, default 2. */
  readonly gain?: number;
  /**
   * `'standard'` (default): conv fan_in = c_in·k_h·k_w, fan_out = c_out·k_h·k_w.
   * `'gr-balanced'`: fan_out = c_out, so geometric gives s = g/sqrt(c_in·c_out·k_h·k_w) and balances convs with dense
   * layers (reconstruction).
   */
  readonly convFanConvention?: 'standard' | 'gr-balanced';
  /** Moment model of the pooling rules: `'uncentered-relu'` (default) or `'centered'`. */
  readonly momentModel?: MomentModel;
  /** Scheme for weight ops without `weightVar`; default `'geom'`. `'given'` requires every `weightVar`. */
  readonly scheme?: ScalingScheme;
  /** Balance tolerance: balanced ⇔ max γ / min γ ≤ 1 + tol. Default 1e-9. */
  readonly tol?: number;
  /**
   * Measured moments per weight layer (forward order), replacing the analytic ones in γ when given:
   * `qIn[l]` = measured E[x_l²] at the layer input, `rOut[l]` = measured E[(Δy_l)²] at its output,
   * `weightVar[l]` = measured E[W_l²].
   */
  readonly measured?: {
    readonly qIn?: readonly number[];
    readonly rOut?: readonly number[];
    readonly weightVar?: readonly number[];
  };
}

/** Keys of `ScalingReportOptions` and of its `measured` record. */
export const SCALING_REPORT_KEYS = optionKeys<ScalingReportOptions>({
  inputShape: true,
  inputSecondMoment: true,
  outputGradSecondMoment: true,
  gain: true,
  convFanConvention: true,
  momentModel: true,
  scheme: true,
  tol: true,
  measured: true,
});
export const MEASURED_KEYS = optionKeys<NonNullable<ScalingReportOptions['measured']>>({ qIn: true, rOut: true, weightVar: true });


/** Per-tensor moments (tensor 0 is the input, tensor i+1 the output of op i). */
export interface TensorMoments {
  readonly shape: readonly number[];
  readonly numel: number;
  readonly q: number;
  readonly r: number;
  readonly varsigma: number;
}

export interface LayerReport {
  /** Ordinal of the weight layer (0-based). */
  readonly index: number;
  /** Index of the op in the architecture list. */
  readonly opIndex: number;
  readonly name?: string;
  readonly kind: 'dense' | 'conv2d';
  readonly fanIn: number;
  readonly fanOut: number;
  /** P_l: output spatial positions (1 for dense). */
  readonly positions: number;
  readonly weightVar: number;
  readonly mult: number;
  /** q(x_l) and r(y_l) used for γ (measured when given). */
  readonly qIn: number;
  readonly rOut: number;
  /** ς at the layer input. */
  readonly varsigma: number;
  /** γ_l = α²·P·qIn·rOut/s. */
  readonly gamma: number;
  /** γ from the analytic moments (equals `gamma` unless measured moments were given). */
  readonly gammaAnalytic: number;
  /** γ / geomean(γ). */
  readonly gammaNormalized: number;
  /** One-shot balanced variance s·sqrt(γ/γ_ref) (see `balanceVariances`). */
  readonly balancedVar: number;
  /** Per-layer learning-rate multiplier sqrt(γ_ref/γ) (see `lrMultipliers`). */
  readonly lrMultiplier: number;
  /** Factor (γ/γ_ref)^(1/4) to multiply existing weights by to balance them. */
  readonly weightScale: number;
}

export interface ScalingReport {
  /** "scaling calculus γ (reconstruction after Defazio & Bottou)". */
  readonly title: string;
  readonly provenance: 'reconstruction';
  readonly scheme: ScalingScheme;
  readonly layers: readonly LayerReport[];
  readonly tensors: readonly TensorMoments[];
  /** κ = ς_out/ς_in per op. */
  readonly kappa: readonly number[];
  /** γ_ref = geometric mean of γ. */
  readonly gammaRef: number;
  /** max γ / min γ. */
  readonly gammaRatio: number;
  readonly balanced: boolean;
  readonly tol: number;
  /** E[f²] at the output and E[(Δx_0)²] at the input. */
  readonly outputSecondMoment: number;
  readonly inputGradSecondMoment: number;
  /** Human-readable verdict. */
  readonly verdict: string;
}


/** Measured moments per weight layer, validated (each array has one positive entry per weight layer). */
export interface MeasuredMoments {
  readonly qIn?: readonly number[];
  readonly rOut?: readonly number[];
  readonly weightVar?: readonly number[];
}

/** `ScalingReportOptions` parsed and validated, defaults filled in (except `measured`, see `parseMeasured`). */
export interface ResolvedScalingReportOptions extends PropagationSettings {
  readonly inputSecondMoment: number;
  readonly outputGradSecondMoment: number;
  readonly tol: number;
}

/**
 * Parse the options of `scalingReport` whose keys are already checked: errors name `options.<key>`. The `measured`
 * record is parsed by `parseMeasured` once the number of weight layers is known.
 */
export function parseScalingReportOptions(
  o: { readonly [key: string]: unknown },
  inputShapeName = 'options.inputShape',
): ResolvedScalingReportOptions {
  const r = optionsRecord(o); // undefined reads as {}; a JavaScript caller's null or number: DomainError naming options
  return {
    inputShape: parseInputShape(r['inputShape'], inputShapeName),
    inputSecondMoment: positiveParam('options.inputSecondMoment', r['inputSecondMoment'], 1),
    outputGradSecondMoment: positiveParam('options.outputGradSecondMoment', r['outputGradSecondMoment'], 1),
    gain: positiveParam('options.gain', r['gain'], 2),
    convention: enumParam('options.convFanConvention', r['convFanConvention'], ['standard', 'gr-balanced'] as const, 'standard'),
    model: enumParam('options.momentModel', r['momentModel'], ['uncentered-relu', 'centered'] as const, 'uncentered-relu'),
    scheme: enumParam<ScalingScheme>('options.scheme', r['scheme'], ['fan_in', 'fan_out', 'arith', 'geom', 'given'], 'geom'),
    tol: positiveParam('options.tol', r['tol'], 1e-9),
  };
}

/** An input shape `[n]` (MLP) or `[C, H, W]` (convnet) of positive integers; errors name `name`. */
export function parseInputShape(value: unknown, name: string): number[] {
  if (!Array.isArray(value) || (value.length !== 1 && value.length !== 3)) {
    throw new ShapeError(`${name} must be [n] or [C, H, W], got ${describe(value)}`);
  }
  return value.map((d: unknown, i: number) => positiveIntParam(`${name}[${i}]`, d));
}

/** Parse `options.measured` for `weightLayers` weight layers (unknown keys name `options.measured.<key>`). */
export function parseMeasured(value: unknown, weightLayers: number, fn = 'scalingReport'): MeasuredMoments {
  const m = checkedOptions(fn, value, MEASURED_KEYS, 'options.measured');
  const arr = (key: 'qIn' | 'rOut' | 'weightVar'): { [K in typeof key]?: number[] } => {
    const v = m[key];
    if (v === undefined) return {};
    const name = `options.measured.${key}`;
    if (!Array.isArray(v) || v.length !== weightLayers) {
      throw new ShapeError(`${name} must be an array of ${weightLayers} positive numbers (one per weight layer), got ${describe(v)}`);
    }
    return { [key]: v.map((x: unknown, i: number) => positiveParam(`${name}[${i}]`, x)) };
  };
  return { ...arr('qIn'), ...arr('rOut'), ...arr('weightVar') };
}

/**
 * Scaling report of an architecture: shape inference, weight variances from `scheme`, forward q, backward r, ς and κ
 * per op, γ per weight layer, balance verdict, one-shot balanced variances and learning-rate multipliers. All of it is
 * the "scaling calculus γ (reconstruction after Defazio & Bottou)".
 */
export function scalingReport(ops: readonly ScalingOp[], options: ScalingReportOptions): ScalingReport {
  const o = checkedOptions('scalingReport', options, SCALING_REPORT_KEYS);
  const parsedOps = parseScalingOps(ops, 'ops', 'scalingReport');
  const settings = parseScalingReportOptions(o);
  return reportOf(parsedOps, settings, (weightLayers) => parseMeasured(o['measured'], weightLayers));
}

/**
 * `scalingReport` for validated ops and options; `measured` gives the measured moments once the number of weight
 * layers is known.
 */
export function reportOf(
  ops: readonly ResolvedScalingOp[],
  o: ResolvedScalingReportOptions,
  measured: (weightLayers: number) => MeasuredMoments = () => ({}),
): ScalingReport {
  const { shapes, qf, rf, weights } = propagate(ops, o);

  // ---- forward and backward passes
  const N = ops.length;
  const q = new Array<number>(N + 1);
  const r = new Array<number>(N + 1);
  q[0] = o.inputSecondMoment;
  for (let i = 0; i < N; i++) q[i + 1] = (q[i] as number) * (qf[i] as number);
  r[N] = o.outputGradSecondMoment;
  for (let i = N - 1; i >= 0; i--) r[i] = (r[i + 1] as number) * (rf[i] as number);
  const tensors: TensorMoments[] = shapes.map((sh, i) => {
    const n = numelOf(sh);
    return { shape: sh, numel: n, q: q[i] as number, r: r[i] as number, varsigma: n * (q[i] as number) * (r[i] as number) };
  });
  const kappa = ops.map((_, i) => (tensors[i + 1] as TensorMoments).varsigma / (tensors[i] as TensorMoments).varsigma);

  // ---- γ per weight layer
  const tol = o.tol;
  const { qIn: mq, rOut: mr, weightVar: ms } = measured(weights.length);
  const raw = weights.map((w, l) => {
    const qa = q[w.opIndex] as number;
    const ra = r[w.opIndex + 1] as number;
    const gammaAnalytic = (w.mult * w.mult * w.positions * qa * ra) / w.s;
    const qx = mq ? (mq[l] as number) : qa;
    const ry = mr ? (mr[l] as number) : ra;
    const s = ms ? (ms[l] as number) : w.s;
    const gamma = (w.mult * w.mult * w.positions * qx * ry) / s;
    // γ must be a positive finite number for the report (ratio, geometric mean, √γ multipliers) to mean anything;
    // extreme variances or moments (e.g. weightVar near the float64 underflow) make it overflow: say so
    if (!(gamma > 0 && gamma < Infinity) || !Number.isFinite(gammaAnalytic)) {
      throw new NonFiniteError(
        `γ of weight layer ${l} (ops[${w.opIndex}]) = α²·P·q·r/s = ${w.mult}²·${w.positions}·${qx}·${ry}/${s} is ${describe(gamma)}: ` +
          `the weight variance or the signal moments are outside what float64 can hold; rescale them`,
      );
    }
    return { w, qx, ry, s, gamma, gammaAnalytic };
  });
  let logSum = 0;
  let gmin = Infinity;
  let gmax = -Infinity;
  for (const x of raw) {
    logSum += Math.log(x.gamma);
    gmin = Math.min(gmin, x.gamma);
    gmax = Math.max(gmax, x.gamma);
  }
  const gammaRef = Math.exp(logSum / raw.length);
  const gammaRatio = gmax / gmin;
  const balanced = gammaRatio <= 1 + tol;
  const layers: LayerReport[] = raw.map((x, l) => ({
    index: l,
    opIndex: x.w.opIndex,
    ...(x.w.name ? { name: x.w.name } : {}),
    kind: x.w.kind,
    fanIn: x.w.fanIn,
    fanOut: x.w.fanOut,
    positions: x.w.positions,
    weightVar: x.s,
    mult: x.w.mult,
    qIn: x.qx,
    rOut: x.ry,
    varsigma: (tensors[x.w.opIndex] as TensorMoments).varsigma,
    gamma: x.gamma,
    gammaAnalytic: x.gammaAnalytic,
    gammaNormalized: x.gamma / gammaRef,
    balancedVar: x.s * Math.sqrt(x.gamma / gammaRef),
    lrMultiplier: Math.sqrt(gammaRef / x.gamma),
    weightScale: Math.pow(x.gamma / gammaRef, 0.25),
  }));
  const verdict =
    `${SCALING_CALCULUS_TITLE}: ${layers.length} weight layer(s), max/min γ = ${gammaRatio.toPrecision(6)} ` +
    (balanced ? `(balanced within tol ${tol})` : `(not balanced; tol ${tol}); one-shot balancing or LR multipliers equalise γ`);
  return {
    title: SCALING_CALCULUS_TITLE,
    provenance: 'reconstruction',
    scheme: o.scheme,
    layers,
    tensors,
    kappa,
    gammaRef,
    gammaRatio,
    balanced,
    tol: o.tol,
    outputSecondMoment: q[N] as number,
    inputGradSecondMoment: r[0] as number,
    verdict,
  };
}
