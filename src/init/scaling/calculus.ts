/**
 * Defazio & Bottou scaling calculus (spec/defazio_scaling_calculus.md): A. Defazio and L. Bottou, "A scaling
 * calculus for the design and initialization of ReLU networks", Neural Computing and Applications (2022),
 * DOI 10.1007/s00521-022-07308-z (arXiv:1906.04267, "Scaling laws for the principled design, initialization and
 * preconditioning of ReLU networks").
 *
 * Provenance:
 * - Verified: the geometric initialization rule Var(W) ∝ 1/sqrt(fan_in·fan_out) (abstract; JAX `fan_geo_avg`), the
 *   idea of one scaling constant γ_l per layer built from uncentred forward/backward second moments, "preconditioned
 *   via scaling" = equal γ_l.
 * - **Reconstruction** (spec tag [D]): the exact γ / ς algebra, the per-op propagation rules, the gain g = 2, the conv
 *   fan convention, the pooling rules, one-shot balancing and per-layer learning-rate multipliers. User-facing name:
 *   "scaling calculus γ (reconstruction after Defazio & Bottou)".
 *
 * Model (batch size 1, zero biases, i.i.d. symmetric weights): for each tensor v, q(v) = E[v²],
 * r(v) = E[(∂L/∂v)²], ς(v) = numel(v)·q(v)·r(v). For a weight layer with input x, output y, weight variance s and
 * fixed multiplier α: γ = E[(ΔW)²]/E[W²] = α²·P·q(x)·r(y)/s, P = number of output positions (1 for dense).
 *
 * Propagation (forward q, backward r; κ = ς_out/ς_in):
 * | op | q_out | r_in | κ |
 * |---|---|---|---|
 * | dense n_in→n_out, var s, mult α | α²·n_in·s·q | α²·n_out·s·r | 1 |
 * | conv c_in→c_out, k_h×k_w, stride s_h×s_w | α²·c_in·k_h·k_w·s·q | α²·c_out·k_h·k_w/(s_h·s_w)·s·r (†) | 1 |
 * | relu | q/2 | r/2 | 1 |
 * | flatten | q | r | 1 |
 * | scale β | β²q | β²r | 1 |
 * | maxpool, w = p² | κ_max(w)·q | r/w | κ_max(w) |
 * | avgpool, w = p² (global: w = H·W) | q·(ρ + (1−ρ)/w) | r/w² | wρ + 1 − ρ |
 *
 * ρ = E[x]²/E[x²] = 1/π and κ_max(w) = E[max of w ReLU(N(0,1))²]/E[ReLU(N(0,1))²] under the default moment model
 * `'uncentered-relu'`; ρ = 0 and κ_max(w) = E[(max of w N(0,1))²] under `'centered'` (see `maxPoolFactor`).
 * The paper's own pooling rules were not retrievable: these are the spec's reconstruction. Conv output size ceil(H/s) ('same' padding); pooling floors H/p. Padding effects are ignored.
 */
import { DomainError, ShapeError, describe } from '../../core/errors.js';
import { checkedOptions, enumParam, finiteParam, optionKeys, optionsRecord, positiveIntParam, positiveParam } from '../support/options.js';
import type { RandomSource } from '../support/rng.js';
import { gaussLegendre, normalCdf, normalPdf } from '../support/special.js';
import type { DTypeOptions, FloatArray, Shape } from '../../core/index.js';
import { varianceScaling, type VarianceDistribution } from '../classic/variance.js';
import type { Layout } from '../support/fans.js';

/** Title used in user-facing output for the reconstructed parts. */
export const SCALING_CALCULUS_TITLE = 'scaling calculus γ (reconstruction after Defazio & Bottou)';

// ---------------------------------------------------------------------------------------------------------------
// Geometric initialization (verified rule; gain 2 is part of the reconstruction)
// ---------------------------------------------------------------------------------------------------------------

export interface GeometricInitOptions extends DTypeOptions {
  /** Numerator g of the variance g/sqrt(fan_in·fan_out); default 2 (ReLU). Note: a variance numerator, not a std gain. */
  readonly gain?: number;
  /** Default `'normal'` (the calculus only uses second moments; any symmetric distribution works). */
  readonly distribution?: VarianceDistribution;
  readonly layout?: Layout;
  /** As for `varianceScaling` (`'tfjs'` only changes `distribution: 'normal'`). */
  readonly compat?: 'none' | 'tfjs';
}

/** Keys of `GeometricInitOptions`. */
export const GEOMETRIC_KEYS = optionKeys<GeometricInitOptions>({ gain: true, distribution: true, layout: true, compat: true, dtype: true });

/**
 * Geometric-mean initialization (Defazio & Bottou): Var(W) = g/sqrt(fan_in·fan_out), g = 2 for ReLU; identical to
 * `varianceScaling(shape, rng, {scale: g, mode: 'fan_geo_avg'})` (JAX `variance_scaling(2.0, "fan_geo_avg")`).
 * The rule is verified; the constant g = 2 is the natural reading (it reduces to He for square layers), not verified.
 */
export function geometricInit(shape: Shape, rng: RandomSource, options: GeometricInitOptions = {}): FloatArray {
  const o = checkedOptions('geometricInit', options, GEOMETRIC_KEYS);
  const g = positiveParam('gain', o['gain'], 2);
  const { layout, compat, dtype, distribution } = o as GeometricInitOptions; // values are validated by varianceScaling
  return varianceScaling(shape, rng, { layout, compat, dtype, scale: g, mode: 'fan_geo_avg', distribution: distribution ?? 'normal' });
}

// ---------------------------------------------------------------------------------------------------------------
// Architecture description
// ---------------------------------------------------------------------------------------------------------------

export interface DenseOp {
  readonly kind: 'dense';
  readonly nIn: number;
  readonly nOut: number;
  /** Weight variance s; filled from `scheme` when omitted. */
  readonly weightVar?: number;
  /** Fixed non-trainable multiplier α (y = α·W x), default 1. */
  readonly mult?: number;
  readonly name?: string;
}

export interface Conv2dOp {
  readonly kind: 'conv2d';
  readonly cIn: number;
  readonly cOut: number;
  readonly kH: number;
  readonly kW: number;
  /** Strides, default 1. Output size ceil(H/sH) × ceil(W/sW) ('same' padding). */
  readonly sH?: number;
  readonly sW?: number;
  readonly weightVar?: number;
  readonly mult?: number;
  readonly name?: string;
}

export type ScalingOp =
  | DenseOp
  | Conv2dOp
  | { readonly kind: 'relu' }
  | { readonly kind: 'flatten' }
  | { readonly kind: 'scale'; readonly beta: number }
  /** Non-overlapping p×p max pooling (window = stride), output floor(H/p) × floor(W/p). */
  | { readonly kind: 'maxpool'; readonly p: number }
  /** Non-overlapping p×p average pooling. */
  | { readonly kind: 'avgpool'; readonly p: number }
  /** Average over all H·W positions; output shape [C]. */
  | { readonly kind: 'globalavgpool' };

/** How missing weight variances are filled. */
export type ScalingScheme = 'fan_in' | 'fan_out' | 'arith' | 'geom' | 'given';

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
   * layers (reconstruction, spec §6.2).
   */
  readonly convFanConvention?: 'standard' | 'gr-balanced';
  /** Moment model of the pooling rules: `'uncentered-relu'` (default) or `'centered'`. */
  readonly momentModel?: 'uncentered-relu' | 'centered';
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
const MEASURED_KEYS = optionKeys<NonNullable<ScalingReportOptions['measured']>>({ qIn: true, rOut: true, weightVar: true });

/** Keys of each kind of `ScalingOp` (a misspelt `weightVar` would otherwise fall back to the scheme's variance). */
const OP_KEYS: { readonly [K in ScalingOp['kind']]: readonly string[] } = {
  dense: optionKeys<DenseOp>({ kind: true, nIn: true, nOut: true, weightVar: true, mult: true, name: true }),
  conv2d: optionKeys<Conv2dOp>({ kind: true, cIn: true, cOut: true, kH: true, kW: true, sH: true, sW: true, weightVar: true, mult: true, name: true }),
  relu: ['kind'],
  flatten: ['kind'],
  scale: ['kind', 'beta'],
  maxpool: ['kind', 'p'],
  avgpool: ['kind', 'p'],
  globalavgpool: ['kind'],
};

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
  /** One-shot balanced variance s·sqrt(γ/γ_ref) (§6.5). */
  readonly balancedVar: number;
  /** Per-layer learning-rate multiplier sqrt(γ_ref/γ) (§6.6). */
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

// ---------------------------------------------------------------------------------------------------------------
// Pooling moment factors
// ---------------------------------------------------------------------------------------------------------------

/**
 * κ_max(w) = E[(max of w i.i.d. inputs)²]/E[input²] under the moment model:
 * - `'uncentered-relu'`: inputs ReLU(N(0,1)), = 2·∫₀^∞ x²·w·φ(x)·Φ(x)^(w−1) dx (≈ 3.0866 for w = 4, 5.1232 for w = 9);
 * - `'centered'`: inputs N(0,1), = ∫ x²·w·φ(x)·Φ(x)^(w−1) dx over ℝ.
 * Gauss–Legendre on [−12, 12] split at 0 (200 nodes per half; relative accuracy ~1e-14).
 */
export function maxPoolFactor(w: number, model: 'uncentered-relu' | 'centered' = 'uncentered-relu'): number {
  positiveIntParam('w (pool window size)', w);
  if (w === 1) return 1;
  const gl = gaussLegendre(200);
  const integ = (a: number, b: number): number => {
    const c = 0.5 * (a + b);
    const h = 0.5 * (b - a);
    let s = 0;
    for (let i = 0; i < gl.x.length; i++) {
      const x = c + h * (gl.x[i] as number);
      s += (gl.w[i] as number) * x * x * w * normalPdf(x) * Math.pow(normalCdf(x), w - 1);
    }
    return s * h;
  };
  const pos = integ(0, 12);
  return model === 'uncentered-relu' ? 2 * pos : pos + integ(-12, 0);
}

// ---------------------------------------------------------------------------------------------------------------
// The calculator
// ---------------------------------------------------------------------------------------------------------------

const numelOf = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

interface WeightInfo {
  opIndex: number;
  kind: 'dense' | 'conv2d';
  fanIn: number;
  fanOut: number;
  positions: number;
  s: number;
  mult: number;
  name?: string;
}

/**
 * Scaling report of an architecture (spec §7): shape inference, weight variances from `scheme`, forward q,
 * backward r, ς and κ per op, γ per weight layer, balance verdict, one-shot balanced variances and learning-rate
 * multipliers. All of it is the "scaling calculus γ (reconstruction after Defazio & Bottou)".
 */
export function scalingReport(ops: readonly ScalingOp[], options: ScalingReportOptions): ScalingReport {
  const o = checkedOptions('scalingReport', options, SCALING_REPORT_KEYS);
  if (!Array.isArray(ops) || ops.length === 0) throw new DomainError(`ops must be a non-empty array of ops, got ${describe(ops)}`);
  const inputShape = o['inputShape'];
  if (!Array.isArray(inputShape) || (inputShape.length !== 1 && inputShape.length !== 3)) {
    throw new ShapeError(`options.inputShape must be [n] or [C, H, W], got ${describe(inputShape)}`);
  }
  inputShape.forEach((d: unknown, i: number) => positiveIntParam(`options.inputShape[${i}]`, d));
  const qIn0 = positiveParam('options.inputSecondMoment', o['inputSecondMoment'], 1);
  const rOut0 = positiveParam('options.outputGradSecondMoment', o['outputGradSecondMoment'], 1);
  const g = positiveParam('options.gain', o['gain'], 2);
  const convention = enumParam('options.convFanConvention', o['convFanConvention'], ['standard', 'gr-balanced'] as const, 'standard');
  const model = enumParam('options.momentModel', o['momentModel'], ['uncentered-relu', 'centered'] as const, 'uncentered-relu');
  const scheme = enumParam<ScalingScheme>('options.scheme', o['scheme'], ['fan_in', 'fan_out', 'arith', 'geom', 'given'], 'geom');
  const tol = positiveParam('options.tol', o['tol'], 1e-9);
  const rho = model === 'uncentered-relu' ? 1 / Math.PI : 0;

  // ---- shape inference and per-op forward/backward factors
  const shapes: number[][] = [inputShape.slice() as number[]];
  const qf: number[] = []; // q_out = qf·q_in
  const rf: number[] = []; // r_in = rf·r_out
  const weights: WeightInfo[] = [];
  const varFor = (fi: number, fo: number): number => {
    switch (scheme) {
      case 'fan_in':
        return g / fi;
      case 'fan_out':
        return g / fo;
      case 'arith':
        return (2 * g) / (fi + fo);
      case 'geom':
      case 'given':
        return g / Math.sqrt(fi * fo);
    }
  };
  ops.forEach((op0, i) => {
    const rec = optionsRecord(op0, `ops[${i}]`);
    const keys = Object.prototype.hasOwnProperty.call(OP_KEYS, rec['kind'] as string) ? OP_KEYS[rec['kind'] as ScalingOp['kind']] : undefined;
    if (keys !== undefined) checkedOptions('scalingReport', rec, keys, `ops[${i}]`); // an unknown kind is reported below
    const op = rec as unknown as ScalingOp;
    const cur = shapes[i] as number[];
    const where = `ops[${i}] (${describe(op.kind)})`;
    switch (op.kind) {
      case 'dense': {
        const nIn = positiveIntParam(`${where}.nIn`, op.nIn);
        const nOut = positiveIntParam(`${where}.nOut`, op.nOut);
        if (cur.length !== 1 || cur[0] !== nIn) {
          throw new ShapeError(`${where}: nIn = ${nIn} does not match the input shape ${describe(cur)} (flatten first)`);
        }
        const mult = finiteParam(`${where}.mult`, op.mult, 1);
        if (mult === 0) throw new DomainError(`${where}.mult must be non-zero, got 0`);
        const s = weightVarOf(op.weightVar, scheme, where, () => varFor(nIn, nOut));
        weights.push({ opIndex: i, kind: 'dense', fanIn: nIn, fanOut: nOut, positions: 1, s, mult, ...(op.name ? { name: op.name } : {}) });
        qf.push(mult * mult * nIn * s);
        rf.push(mult * mult * nOut * s);
        shapes.push([nOut]);
        return;
      }
      case 'conv2d': {
        const cIn = positiveIntParam(`${where}.cIn`, op.cIn);
        const cOut = positiveIntParam(`${where}.cOut`, op.cOut);
        const kH = positiveIntParam(`${where}.kH`, op.kH);
        const kW = positiveIntParam(`${where}.kW`, op.kW);
        const sH = positiveIntParam(`${where}.sH`, op.sH, 1);
        const sW = positiveIntParam(`${where}.sW`, op.sW, 1);
        if (cur.length !== 3 || cur[0] !== cIn) {
          throw new ShapeError(`${where}: cIn = ${cIn} does not match the input shape ${describe(cur)} (expected [${cIn}, H, W])`);
        }
        const mult = finiteParam(`${where}.mult`, op.mult, 1);
        if (mult === 0) throw new DomainError(`${where}.mult must be non-zero, got 0`);
        const fanIn = cIn * kH * kW;
        const fanOut = convention === 'standard' ? cOut * kH * kW : cOut;
        const s = weightVarOf(op.weightVar, scheme, where, () => varFor(fanIn, fanOut));
        const hOut = Math.ceil((cur[1] as number) / sH);
        const wOut = Math.ceil((cur[2] as number) / sW);
        weights.push({
          opIndex: i,
          kind: 'conv2d',
          fanIn,
          fanOut,
          positions: hOut * wOut,
          s,
          mult,
          ...(op.name ? { name: op.name } : {}),
        });
        qf.push(mult * mult * cIn * kH * kW * s);
        // r_in = α²·c_out·k_h·k_w·s·r_out·P/(H·W): equals 1/(s_h·s_w) when the strides divide H and W (spec §5);
        // otherwise it counts the taps of the ceil(H/s) output grid exactly, which keeps ς conserved.
        rf.push((mult * mult * cOut * kH * kW * s * hOut * wOut) / ((cur[1] as number) * (cur[2] as number)));
        shapes.push([cOut, hOut, wOut]);
        return;
      }
      case 'relu':
        qf.push(0.5);
        rf.push(0.5);
        shapes.push(cur.slice());
        return;
      case 'flatten':
        qf.push(1);
        rf.push(1);
        shapes.push([numelOf(cur)]);
        return;
      case 'scale': {
        const beta = finiteParam(`${where}.beta`, op.beta);
        if (beta === 0) throw new DomainError(`${where}.beta must be non-zero, got 0`);
        qf.push(beta * beta);
        rf.push(beta * beta);
        shapes.push(cur.slice());
        return;
      }
      case 'maxpool':
      case 'avgpool': {
        const p = positiveIntParam(`${where}.p`, op.p);
        if (cur.length !== 3) throw new ShapeError(`${where} needs a [C, H, W] input, got ${describe(cur)}`);
        const hOut = Math.floor((cur[1] as number) / p);
        const wOut = Math.floor((cur[2] as number) / p);
        if (hOut === 0 || wOut === 0) throw new ShapeError(`${where}: window ${p} is larger than the input ${describe(cur)}`);
        const w = p * p;
        if (op.kind === 'maxpool') {
          qf.push(maxPoolFactor(w, model));
          rf.push(1 / w);
        } else {
          qf.push(rho + (1 - rho) / w);
          rf.push(1 / (w * w));
        }
        shapes.push([cur[0] as number, hOut, wOut]);
        return;
      }
      case 'globalavgpool': {
        if (cur.length !== 3) throw new ShapeError(`${where} needs a [C, H, W] input, got ${describe(cur)}`);
        const w = (cur[1] as number) * (cur[2] as number);
        qf.push(rho + (1 - rho) / w);
        rf.push(1 / (w * w));
        shapes.push([cur[0] as number]);
        return;
      }
      default:
        throw new DomainError(
          `unsupported op ${describe((op as { kind: unknown }).kind)} at ops[${i}]; supported: dense, conv2d, relu, flatten, scale, maxpool, avgpool, globalavgpool`,
        );
    }
  });
  if (weights.length === 0) throw new DomainError('ops must contain at least one weight layer (dense or conv2d)');

  // ---- forward and backward passes
  const N = ops.length;
  const q = new Array<number>(N + 1);
  const r = new Array<number>(N + 1);
  q[0] = qIn0;
  for (let i = 0; i < N; i++) q[i + 1] = (q[i] as number) * (qf[i] as number);
  r[N] = rOut0;
  for (let i = N - 1; i >= 0; i--) r[i] = (r[i + 1] as number) * (rf[i] as number);
  const tensors: TensorMoments[] = shapes.map((sh, i) => {
    const n = numelOf(sh);
    return { shape: sh, numel: n, q: q[i] as number, r: r[i] as number, varsigma: n * (q[i] as number) * (r[i] as number) };
  });
  const kappa = ops.map((_, i) => (tensors[i + 1] as TensorMoments).varsigma / (tensors[i] as TensorMoments).varsigma);

  // ---- γ per weight layer
  const measured = checkedOptions('scalingReport', o['measured'], MEASURED_KEYS, 'options.measured');
  const mq = measuredArray(measured['qIn'], 'options.measured.qIn', weights.length);
  const mr = measuredArray(measured['rOut'], 'options.measured.rOut', weights.length);
  const ms = measuredArray(measured['weightVar'], 'options.measured.weightVar', weights.length);
  const raw = weights.map((w, l) => {
    const qa = q[w.opIndex] as number;
    const ra = r[w.opIndex + 1] as number;
    const gammaAnalytic = (w.mult * w.mult * w.positions * qa * ra) / w.s;
    const qx = mq ? (mq[l] as number) : qa;
    const ry = mr ? (mr[l] as number) : ra;
    const s = ms ? (ms[l] as number) : w.s;
    const gamma = (w.mult * w.mult * w.positions * qx * ry) / s;
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
    scheme,
    layers,
    tensors,
    kappa,
    gammaRef,
    gammaRatio,
    balanced,
    tol,
    outputSecondMoment: q[N] as number,
    inputGradSecondMoment: r[0] as number,
    verdict,
  };
}

function weightVarOf(v: unknown, scheme: ScalingScheme, where: string, fill: () => number): number {
  if (v !== undefined) return positiveParam(`${where}.weightVar`, v);
  if (scheme === 'given') throw new DomainError(`${where}.weightVar is required with scheme "given"`);
  return fill();
}

function measuredArray(v: unknown, name: string, len: number): number[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length !== len) {
    throw new ShapeError(`${name} must be an array of ${len} positive numbers (one per weight layer), got ${describe(v)}`);
  }
  return v.map((x: unknown, i: number) => positiveParam(`${name}[${i}]`, x));
}

/** One-shot balanced variances s_l·sqrt(γ_l/γ_ref) (spec §6.5; reconstruction). */
export function balanceVariances(report: ScalingReport): number[] {
  return report.layers.map((l) => l.balancedVar);
}

/** Per-layer learning-rate multipliers sqrt(γ_ref/γ_l) (spec §6.6; reconstruction). */
export function lrMultipliers(report: ScalingReport): number[] {
  return report.layers.map((l) => l.lrMultiplier);
}

/**
 * Ops with every weight layer's `weightVar` set from a report's balanced variances (scheme `'given'` then
 * reproduces equal γ). Optionally rescale all variances by a common factor (balance is preserved).
 */
export function balancedOps(ops: readonly ScalingOp[], report: ScalingReport, commonFactor = 1): ScalingOp[] {
  const c = positiveParam('commonFactor', commonFactor);
  const byOp = new Map(report.layers.map((l) => [l.opIndex, l.balancedVar * c]));
  return ops.map((op, i) => (byOp.has(i) ? ({ ...op, weightVar: byOp.get(i) } as ScalingOp) : op));
}

/**
 * Common variance factor c that, applied to every weight layer (e.g. `balancedOps(ops, report, c)`), sets the output
 * second moment E[f²] to `target` while keeping the balance (spec §7 step 8, optional): in a chain q_out scales as
 * c^L with L weight layers, so c = (target / q_out)^(1/L). With `balanced: true` the report's balanced variances are
 * the reference (their output moment is recomputed from the ratios s_l^bal/s_l).
 */
export function outputScaleFactor(report: ScalingReport, target: number, opts: { balanced?: boolean } = {}): number {
  checkedOptions('outputScaleFactor', opts, ['balanced'], 'opts');
  const t = positiveParam('target', target);
  const L = report.layers.length;
  let q = report.outputSecondMoment;
  if (opts.balanced) for (const l of report.layers) q *= l.balancedVar / l.weightVar;
  return Math.pow(t / q, 1 / L);
}

/** Uncentred second moment mean(x²) of an array. */
export function secondMoment(x: ArrayLike<number>): number {
  if (x.length === 0) throw new ShapeError('secondMoment needs a non-empty array');
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) * (x[i] as number);
  return s / x.length;
}

/**
 * One-shot balancing of an existing initialization (any scheme): measures E[W_l²] from the given weight arrays
 * (one per weight op, forward order), builds the report with those variances and returns copies of the weights
 * multiplied by (γ_l/γ_ref)^(1/4), after which all γ_l are equal (in the calculus; spec §6.5, reconstruction).
 */
export function balanceWeights<T extends FloatArray>(
  ops: readonly ScalingOp[],
  weights: readonly T[],
  options: ScalingReportOptions,
): { weights: T[]; report: ScalingReport; balancedReport: ScalingReport } {
  // scheme and measured are set here (the weights give the variances), so passing them would be ignored silently
  checkedOptions('balanceWeights', options, SCALING_REPORT_KEYS.filter((k) => k !== 'scheme' && k !== 'measured'));
  const wOps = ops.map((op, i) => ({ op, i })).filter((x) => x.op.kind === 'dense' || x.op.kind === 'conv2d');
  if (!Array.isArray(weights) || weights.length !== wOps.length) {
    throw new ShapeError(`weights must hold one array per weight op (${wOps.length}), got ${describe(weights)}`);
  }
  const vars = weights.map((w) => secondMoment(w));
  const withVars = ops.map((op) => op);
  wOps.forEach((x, l) => {
    withVars[x.i] = { ...(x.op as DenseOp | Conv2dOp), weightVar: vars[l] as number };
  });
  const report = scalingReport(withVars, { ...options, scheme: 'given', measured: undefined });
  const out = weights.map((w, l) => {
    const f = (report.layers[l] as LayerReport).weightScale;
    const c = w.slice() as T;
    for (let i = 0; i < c.length; i++) c[i] = (c[i] as number) * f;
    return c;
  });
  const balancedReport = scalingReport(
    withVars.map((op, i) => {
      const l = wOps.findIndex((x) => x.i === i);
      return l < 0 ? op : ({ ...(op as DenseOp | Conv2dOp), weightVar: secondMoment(out[l] as T) } as ScalingOp);
    }),
    { ...options, scheme: 'given', measured: undefined },
  );
  return { weights: out, report, balancedReport };
}

/**
 * Empirical γ̂ = mean over samples of mean(ΔW²) / mean(W²) from per-sample weight gradients (spec §7 step 10).
 */
export function empiricalGamma(W: ArrayLike<number>, perSampleGrads: readonly ArrayLike<number>[]): number {
  if (perSampleGrads.length === 0) throw new ShapeError('perSampleGrads must be non-empty');
  let acc = 0;
  for (const gr of perSampleGrads) {
    if (gr.length !== W.length) throw new ShapeError(`gradient length ${gr.length} does not match W length ${W.length}`);
    acc += secondMoment(gr);
  }
  return acc / perSampleGrads.length / secondMoment(W);
}

/** Convenience: an MLP description dense(n_0→n_1), relu, …, dense(n_{L−1}→n_L) (no ReLU after the last layer). */
export function mlpOps(widths: readonly number[], weightVars?: readonly number[]): ScalingOp[] {
  if (!Array.isArray(widths) || widths.length < 2) throw new ShapeError(`widths must list at least 2 layer sizes, got ${describe(widths)}`);
  widths.forEach((w, i) => positiveIntParam(`widths[${i}]`, w));
  if (weightVars !== undefined && weightVars.length !== widths.length - 1) {
    throw new ShapeError(`weightVars must have ${widths.length - 1} entries, got ${weightVars.length}`);
  }
  const ops: ScalingOp[] = [];
  for (let l = 0; l + 1 < widths.length; l++) {
    if (l > 0) ops.push({ kind: 'relu' });
    const v = weightVars?.[l];
    ops.push({ kind: 'dense', nIn: widths[l] as number, nOut: widths[l + 1] as number, ...(v !== undefined ? { weightVar: v } : {}) });
  }
  return ops;
}
