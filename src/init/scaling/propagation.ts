/**
 * The per-op propagation rules of the Defazio–Bottou scaling calculus (docs/schemes/scaling.md; **reconstruction**:
 * the rules, the gain, the conv fan convention and the pooling rules are the scheme page's reconstruction, not the
 * paper's). Model (batch size 1, zero biases, i.i.d. symmetric weights): for each tensor v, q(v) = E[v²],
 * r(v) = E[(∂L/∂v)²], ς(v) = numel(v)·q(v)·r(v).
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
 * The paper's own pooling rules were not retrievable: these are a reconstruction. Conv output size ceil(H/s) ('same'
 * padding); pooling floors H/p. Padding effects are ignored. (†) exactly when the strides divide H and W.
 */
import { DomainError, ShapeError, describe } from '../../core/errors.js';
import { positiveIntParam } from '../support/options.js';
import { gaussLegendre, normalCdf, normalPdf } from '../support/special.js';
import type { ResolvedScalingOp } from './ops.js';

/** How missing weight variances are filled. */
export type ScalingScheme = 'fan_in' | 'fan_out' | 'arith' | 'geom' | 'given';

/** Moment model of the pooling rules. */
export type MomentModel = 'uncentered-relu' | 'centered';

/**
 * κ_max(w) = E[(max of w i.i.d. inputs)²]/E[input²] under the moment model:
 * - `'uncentered-relu'`: inputs ReLU(N(0,1)), = 2·∫₀^∞ x²·w·φ(x)·Φ(x)^(w−1) dx (≈ 3.0866 for w = 4, 5.1232 for w = 9);
 * - `'centered'`: inputs N(0,1), = ∫ x²·w·φ(x)·Φ(x)^(w−1) dx over ℝ.
 * Gauss–Legendre on [−12, 12] split at 0 (200 nodes per half; relative accuracy ~1e-14).
 */
export function maxPoolFactor(w: number, model: MomentModel = 'uncentered-relu'): number {
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

export const numelOf = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** A weight layer found by `propagate`. */
export interface WeightInfo {
  readonly opIndex: number;
  readonly kind: 'dense' | 'conv2d';
  readonly fanIn: number;
  readonly fanOut: number;
  readonly positions: number;
  readonly s: number;
  readonly mult: number;
  readonly name?: string;
}

/** What `propagate` needs besides the ops. */
export interface PropagationSettings {
  readonly inputShape: readonly number[];
  readonly gain: number;
  readonly convention: 'standard' | 'gr-balanced';
  readonly model: MomentModel;
  readonly scheme: ScalingScheme;
}

/** Per-op factors: q_out = qf·q_in, r_in = rf·r_out; `shapes[i]` is the input of op i, `shapes[N]` the output. */
export interface Propagation {
  readonly shapes: readonly (readonly number[])[];
  readonly qf: readonly number[];
  readonly rf: readonly number[];
  readonly weights: readonly WeightInfo[];
}

/**
 * Shape inference and the per-op forward / backward factors of the table above, weight variances filled from the
 * scheme (g/fan_in, g/fan_out, 2g/(fan_in + fan_out), g/sqrt(fan_in·fan_out)). The ops are already validated.
 */
export function propagate(ops: readonly ResolvedScalingOp[], o: PropagationSettings): Propagation {
  const g = o.gain;
  const rho = o.model === 'uncentered-relu' ? 1 / Math.PI : 0;
  const shapes: number[][] = [o.inputShape.slice()];
  const qf: number[] = []; // q_out = qf·q_in
  const rf: number[] = []; // r_in = rf·r_out
  const weights: WeightInfo[] = [];
  const varFor = (fi: number, fo: number): number => {
    switch (o.scheme) {
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
  const weightVar = (v: number | undefined, where: string, fi: number, fo: number): number => {
    if (v !== undefined) return v;
    if (o.scheme === 'given') throw new DomainError(`${where}.weightVar is required with scheme "given"`);
    return varFor(fi, fo);
  };
  ops.forEach((op, i) => {
    const cur = shapes[i] as number[];
    const where = `ops[${i}] (${describe(op.kind)})`;
    switch (op.kind) {
      case 'dense': {
        const { nIn, nOut, mult } = op;
        if (cur.length !== 1 || cur[0] !== nIn) {
          throw new ShapeError(`${where}: nIn = ${nIn} does not match the input shape ${describe(cur)} (flatten first)`);
        }
        const s = weightVar(op.weightVar, where, nIn, nOut);
        weights.push({ opIndex: i, kind: 'dense', fanIn: nIn, fanOut: nOut, positions: 1, s, mult, ...(op.name ? { name: op.name } : {}) });
        qf.push(mult * mult * nIn * s);
        rf.push(mult * mult * nOut * s);
        shapes.push([nOut]);
        return;
      }
      case 'conv2d': {
        const { cIn, cOut, kH, kW, sH, sW, mult } = op;
        if (cur.length !== 3 || cur[0] !== cIn) {
          throw new ShapeError(`${where}: cIn = ${cIn} does not match the input shape ${describe(cur)} (expected [${cIn}, H, W])`);
        }
        const fanIn = cIn * kH * kW;
        const fanOut = o.convention === 'standard' ? cOut * kH * kW : cOut;
        const s = weightVar(op.weightVar, where, fanIn, fanOut);
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
        // r_in = α²·c_out·k_h·k_w·s·r_out·P/(H·W): equals 1/(s_h·s_w) when the strides divide H and W;
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
      case 'scale':
        qf.push(op.beta * op.beta);
        rf.push(op.beta * op.beta);
        shapes.push(cur.slice());
        return;
      case 'maxpool':
      case 'avgpool': {
        const p = op.p;
        if (cur.length !== 3) throw new ShapeError(`${where} needs a [C, H, W] input, got ${describe(cur)}`);
        const hOut = Math.floor((cur[1] as number) / p);
        const wOut = Math.floor((cur[2] as number) / p);
        if (hOut === 0 || wOut === 0) throw new ShapeError(`${where}: window ${p} is larger than the input ${describe(cur)}`);
        const w = p * p;
        if (op.kind === 'maxpool') {
          qf.push(maxPoolFactor(w, o.model));
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
    }
  });
  if (weights.length === 0) throw new DomainError('ops must contain at least one weight layer (dense or conv2d)');
  return { shapes, qf, rf, weights };
}
