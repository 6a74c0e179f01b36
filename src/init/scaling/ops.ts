/**
 * Architecture description of the Defazio–Bottou scaling calculus (docs/schemes/scaling.md): the ops a scaling
 * report propagates second moments through, their typed parser, and the MLP convenience builder.
 */
import { DomainError, ShapeError, describe } from '../../core/errors.js';
import { checkedOptions, finiteParam, optionKeys, optionsRecord, positiveIntParam, rangeParam } from '../support/options.js';

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

/** A weight op with its defaults filled in (mult 1, strides 1) and its values validated. */
export type ResolvedWeightOp =
  | (Required<Omit<DenseOp, 'weightVar' | 'name'>> & Pick<DenseOp, 'weightVar' | 'name'>)
  | (Required<Omit<Conv2dOp, 'weightVar' | 'name'>> & Pick<Conv2dOp, 'weightVar' | 'name'>);

/** A `ScalingOp` validated by `parseScalingOps`: weight ops resolved, the others as given. */
export type ResolvedScalingOp = ResolvedWeightOp | Exclude<ScalingOp, DenseOp | Conv2dOp>;

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

const isOpKind = (k: unknown): k is ScalingOp['kind'] => typeof k === 'string' && Object.prototype.hasOwnProperty.call(OP_KEYS, k);

/**
 * Validate an architecture given as untyped data (e.g. `context.extra.ops` of a registry call): a non-empty array of
 * ops whose keys are those of their kind (unknown keys name `${name}[i].<key>` and `fn`) and whose values are in range.
 * Errors name the op as `${name}[i] ("kind")`.
 */
export function parseScalingOps(value: unknown, name = 'ops', fn = 'scalingReport'): ResolvedScalingOp[] {
  if (!Array.isArray(value) || value.length === 0) throw new DomainError(`${name} must be a non-empty array of ops, got ${describe(value)}`);
  return value.map((op: unknown, i: number) => parseScalingOp(op, `${name}[${i}]`, fn));
}

function parseScalingOp(value: unknown, at: string, fn: string): ResolvedScalingOp {
  const rec = optionsRecord(value, at);
  const kind = rec['kind'];
  if (!isOpKind(kind)) {
    throw new DomainError(
      `unsupported op ${describe(kind)} at ${at}; supported: dense, conv2d, relu, flatten, scale, maxpool, avgpool, globalavgpool`,
    );
  }
  checkedOptions(fn, rec, OP_KEYS[kind], at);
  const where = `${at} (${describe(kind)})`;
  const nonZero = (key: 'mult' | 'beta', dflt?: number): number => {
    const x = finiteParam(`${where}.${key}`, rec[key], dflt);
    if (x === 0) throw new DomainError(`${where}.${key} must be non-zero, got 0`);
    return x;
  };
  const weightVar = (): { weightVar?: number } =>
    rec['weightVar'] === undefined ? {} : { weightVar: weightVarParam(`${where}.weightVar`, rec['weightVar']) };
  const opName = (): { name?: string } => {
    const n = rec['name'];
    if (n !== undefined && typeof n !== 'string') throw new DomainError(`${where}.name must be a string, got ${describe(n)}`);
    return n ? { name: n } : {};
  };
  const int = (key: string, dflt?: number): number => positiveIntParam(`${where}.${key}`, rec[key], dflt);
  switch (kind) {
    case 'dense': {
      const nIn = int('nIn');
      const nOut = int('nOut');
      return { kind, nIn, nOut, mult: nonZero('mult', 1), ...weightVar(), ...opName() };
    }
    case 'conv2d': {
      const [cIn, cOut, kH, kW] = [int('cIn'), int('cOut'), int('kH'), int('kW')];
      const [sH, sW] = [int('sH', 1), int('sW', 1)];
      return { kind, cIn, cOut, kH, kW, sH, sW, mult: nonZero('mult', 1), ...weightVar(), ...opName() };
    }
    case 'scale':
      return { kind, beta: nonZero('beta') };
    case 'maxpool':
    case 'avgpool':
      return { kind, p: int('p') };
    case 'relu':
    case 'flatten':
    case 'globalavgpool':
      return { kind };
  }
}

/** Smallest normal float64, 2^−1022: a weight variance below it (subnormal) makes γ ∝ 1/s overflow. */
const MIN_NORMAL = 2.2250738585072014e-308;

/** A weight variance: finite, ≥ 2^−1022 (not zero, not subnormal). */
function weightVarParam(name: string, value: unknown): number {
  return rangeParam(name, value, MIN_NORMAL, Infinity, { openHi: true });
}

/** Convenience: an MLP description dense(n_0→n_1), relu, …, dense(n_{L−1}→n_L) (no ReLU after the last layer). */
export function mlpOps(widths: readonly number[], weightVars?: readonly number[]): ScalingOp[] {
  if (!Array.isArray(widths) || widths.length < 2) throw new ShapeError(`widths must list at least 2 layer sizes, got ${describe(widths)}`);
  widths.forEach((w, i) => positiveIntParam(`widths[${i}]`, w));
  if (weightVars !== undefined && !Array.isArray(weightVars)) throw new DomainError(`weightVars must be an array of variances, got ${describe(weightVars)}`);
  if (weightVars !== undefined && weightVars.length !== widths.length - 1) {
    throw new ShapeError(`weightVars must have ${widths.length - 1} entries, got ${weightVars.length}`);
  }
  weightVars?.forEach((v, l) => weightVarParam(`weightVars[${l}]`, v));
  const ops: ScalingOp[] = [];
  for (let l = 0; l + 1 < widths.length; l++) {
    if (l > 0) ops.push({ kind: 'relu' });
    const v = weightVars?.[l];
    ops.push({ kind: 'dense', nIn: widths[l] as number, nOut: widths[l + 1] as number, ...(v !== undefined ? { weightVar: v } : {}) });
  }
  return ops;
}
