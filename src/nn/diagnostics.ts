/**
 * Per-layer diagnostics of a network during training, as plain objects: weight and weight-gradient moments of any
 * Trainable whose parameters come in (weight [out, in], bias) pairs; activation statistics, the empirical
 * Defazio–Bottou γ_l and the path-norm of a Dense network (src/nn/mlp.ts); a random-projection estimate of the
 * input–output Jacobian norm of any Trainable. Built on src/init's measurements (`secondMoment`, `empiricalGamma`,
 * `pathNorm`) and on `signalPropagation`; gradients already on the parameters are left as they were.
 */
import { DomainError, ShapeError, describe } from '../core/errors.js';
import { checkedOptions, optionKeys } from '../core/options.js';
import {
  createRng, empiricalGamma, normal, pathNorm, positiveIntParam, positiveParam, secondMoment, seedToUint64, type LayerTensors, type Seed,
} from '../init/index.js';
import { crossEntropy, mul, noGrad, sum, tensor, type Labels, type Tensor } from '../tensor/index.js';
import { checkBatch, checkDenseLayers, checkTensorArg } from './checks.js';
import { Sequential } from './layers/container.js';
import { mlpForward, type Dense } from './mlp.js';
import { deadFraction, sequentialForward, sequentialLayers, signalPropagation, zeroProbes } from './signal.js';
import { checkTrainable, forwardChecked, pairLayers, type Trainable } from './train/model.js';

/** Weight statistics of one (weight, bias) layer of a Trainable. */
export interface LayerWeightDiagnostics {
  readonly layer: number;
  /** The weight's name in `namedParameters`. */
  readonly weight: string;
  readonly fanIn: number;
  readonly fanOut: number;
  /** E[W²] over the entries of the weight. */
  readonly weightSecondMoment: number;
  /** E[(∂L/∂W)²] over the entries of the weight's current `.grad`; null when it has none. */
  readonly weightGradSecondMoment: number | null;
}

/** Product of the dimensions after [out, in] (1 for a dense weight). */
const receptiveField = (shape: readonly number[]): number => shape.slice(2).reduce((a, b) => a * b, 1);

/**
 * E[W_l²] and E[(∂L/∂W_l)²] of each layer of `model` (float64 accumulation, `secondMoment`), the layers read off
 * `namedParameters()`: each weight [out, in] or conv kernel [out, in, kh, kw], optionally followed by its 1-D bias [out]
 * (ShapeError otherwise).
 */
export function weightDiagnostics(model: Trainable): LayerWeightDiagnostics[] {
  const pairs = pairLayers(model, 'model');
  return pairs.map(({ weightName, W }, layer) => ({
    layer,
    weight: weightName,
    // PyTorch's fans: a conv kernel [out, in, kh, kw] counts its receptive field kh·kw on both sides.
    fanIn: (W.shape[1] as number) * receptiveField(W.shape),
    fanOut: (W.shape[0] as number) * receptiveField(W.shape),
    weightSecondMoment: secondMoment(W.dense()),
    weightGradSecondMoment: W.grad === null ? null : secondMoment(W.grad.dense()),
  }));
}

/** Activation statistics of one layer of a Dense network on a batch. */
export interface LayerActivationDiagnostics {
  readonly layer: number;
  /** E[y_l²] of the pre-activation (`signalPropagation`). */
  readonly preactSecondMoment: number;
  /** Fraction of units with y ≤ 0 on every sample (`deadFraction`); null for the linear output layer. */
  readonly deadFraction: number | null;
  /** E_x ‖h_l‖^s over the batch, h_l the layer's output (ReLU(y_l) for hidden layers, y_l for the last). */
  readonly activationNormMoment: number;
  /** E[h_l²] of the layer output h_l (mean over units and samples). */
  readonly activationSecondMoment: number;
  /**
   * Empirical Defazio–Bottou γ̂_l = mean_i mean((∂ℓ_i/∂W_l)²) / mean(W_l²) from per-sample cross-entropy gradients
   * (src/init's `empiricalGamma`), for the effective weight scale·W_l.
   */
  readonly gamma: number;
}

/** Options of `activationDiagnostics`. */
export interface ActivationDiagnosticsOptions {
  /** Order s > 0 of E‖h_l‖^s (the fractional-moment scheme's s); default 2. */
  readonly s?: number;
}

/** Samples per `empiricalGamma` call: bounds the per-sample gradients held at once to 16·out·in float64 values. */
const GAMMA_CHUNK = 16;

/**
 * Activation diagnostics of a network on a batch `x` [B, in] with class `labels` (cross-entropy, as
 * `signalPropagation`). The network is a Dense network (src/nn/mlp.ts) or a Sequential of Linear layers and
 * parameter-free activations (`mlp()`; see `sequentialLayers`).
 *
 * Dense: pre-activation moments and dead fractions come from `signalPropagation`; a second pass with zero probes on
 * each y_l gives the per-sample gradients δ_i = ∂ℓ_i/∂y_l, whence ∂ℓ_i/∂(scale·W_l) = δ_i x_iᵀ for `empiricalGamma`,
 * and the layer outputs for E‖h_l‖^s. Gradients already on the layers' tensors are restored.
 *
 * Sequential: one forward walk with zero probes (`sequentialForward`) and one backward pass, in evaluation mode (so
 * that a random activation such as RReLU is its deterministic mean); h_l is the output of the modules after Linear
 * l, the dead fraction counts units with y ≤ 0 on every sample (null for the last layer), and γ̂ uses the identity
 * mean_jk (δ_ij x_ik)² = ‖δ_i‖²‖x_i‖² / (out·in) of the rank-one per-sample gradient δ_i x_iᵀ, so that
 * γ̂_l = mean_i ‖δ_i‖²‖x_i‖² / (out·in · mean((scale·W_l)²)) costs O(B·(out + in)) instead of O(B·out·in). The
 * model's mode and its parameters' gradients are restored.
 */
export function activationDiagnostics(
  layers: readonly Dense[] | Sequential, x: Tensor, labels: Labels, options: ActivationDiagnosticsOptions = {},
): LayerActivationDiagnostics[] {
  if (layers instanceof Sequential) return sequentialDiagnostics(layers, x, labels, options);
  checkDenseLayers(layers, 'layers');
  checkBatch(x, layers, 'x');
  const s = parseDiagnosticsOptions(options);
  const leaves = layers.flatMap((l) => (l.b === null ? [l.W] : [l.W, l.b]));
  return keepGrads(leaves, () => {
    const signal = signalPropagation(layers, x, labels);
    const B = x.shape[0] as number;
    const probes: Tensor[] = [];
    const inputs: Tensor[] = [];
    const outputs: Tensor[] = [];
    const out = mlpForward(layers, x, {
      probe: zeroProbes(probes),
      observe: (l, input, y) => {
        inputs.push(input);
        outputs.push(l + 1 < layers.length ? noGrad(() => y.relu()) : y);
      },
    });
    crossEntropy(out, labels).backward();
    return layers.map((layer, l) => {
      const sl = signal.layers[l]!;
      return {
        layer: l,
        preactSecondMoment: sl.preactSecondMoment,
        deadFraction: sl.deadFraction,
        activationNormMoment: rowNormMoment(outputs[l]!.dense(), B, s),
        activationSecondMoment: secondMoment(outputs[l]!.dense()),
        gamma: layerGamma(layer, inputs[l]!.dense(), probes[l]!.grad, B),
      };
    });
  });
}

function parseDiagnosticsOptions(options: unknown): number {
  const o = checkedOptions('activationDiagnostics', options, optionKeys<ActivationDiagnosticsOptions>({ s: true }));
  return positiveParam('options.s', o['s'], 2);
}

/** `activationDiagnostics` of a Sequential (see there). */
function sequentialDiagnostics(model: Sequential, x: Tensor, labels: Labels, options: unknown): LayerActivationDiagnostics[] {
  const walk = sequentialLayers(model, 'layers');
  const xt = checkTensorArg('x', x);
  const first = walk[0]!.linear;
  if (xt.ndim !== 2 || xt.shape[1] !== first.inFeatures || xt.shape[0] === 0) {
    throw new ShapeError(`x must be a non-empty batch [B, ${first.inFeatures}] (the first Linear's inFeatures), got shape ${describe([...xt.shape])}`);
  }
  const s = parseDiagnosticsOptions(options);
  const was = model.training;
  model.eval();
  try {
    return keepGrads(model.parameters(), () => {
      const rec = { probes: [] as Tensor[], inputs: [] as Tensor[], preacts: [] as Tensor[], outputs: [] as Tensor[] };
      const out = sequentialForward(walk, xt, {
        probe: zeroProbes(rec.probes),
        observe: (_l, input, y) => void (rec.inputs.push(input), rec.preacts.push(y)),
        activated: (_l, h) => void rec.outputs.push(h),
      });
      for (const p of model.parameters()) p.zeroGrad();
      crossEntropy(out, labels).backward();
      const B = xt.shape[0] as number;
      return walk.map(({ linear }, l) => ({
        layer: l,
        preactSecondMoment: secondMoment(rec.preacts[l]!.dense()),
        deadFraction: l + 1 < walk.length ? deadFraction(rec.preacts[l]!) : null,
        activationNormMoment: rowNormMoment(rec.outputs[l]!.dense(), B, s),
        activationSecondMoment: secondMoment(rec.outputs[l]!.dense()),
        gamma: rankOneGamma(linear.weight.dense(), linear.scale, rec.inputs[l]!.dense(), rec.probes[l]!.grad, B),
      }));
    });
  } finally {
    model.train(was);
  }
}

/** `fn()` with the `.grad` of each of `tensors` put back afterwards (also when fn throws). */
function keepGrads<T>(tensors: readonly Tensor[], fn: () => T): T {
  const saved = tensors.map((t) => t.grad);
  try {
    return fn();
  } finally {
    tensors.forEach((t, i) => {
      t.grad = saved[i] ?? null;
    });
  }
}

/** Σ_j v_j² of row i of a dense [B, n] array. */
function rowSquare(v: ArrayLike<number>, i: number, n: number): number {
  let sq = 0;
  for (let j = 0; j < n; j++) sq += (v[i * n + j] as number) ** 2;
  return sq;
}

/**
 * γ̂ of a layer with weight W [out, in] and forward scale from its inputs x [B, in] and the probe gradient
 * dL/dy [B, out] (= δ_i / B): mean_i ‖δ_i‖²‖x_i‖² / (out·in) over mean((scale·W)²), as `empiricalGamma` of the
 * per-sample gradients δ_i x_iᵀ would give it.
 */
function rankOneGamma(W: ArrayLike<number>, scale: number, xs: ArrayLike<number>, probeGrad: Tensor | null, B: number): number {
  const inp = xs.length / B;
  const out = W.length / inp;
  if (probeGrad === null) return 0;
  const d = probeGrad.dense();
  let acc = 0;
  for (let i = 0; i < B; i++) acc += rowSquare(d, i, out) * B * B * rowSquare(xs, i, inp);
  const w2 = secondMoment(W) * scale * scale;
  if (w2 === 0) throw new DomainError('γ̂ divides by mean(W²): a layer has all-zero weights');
  return acc / B / (out * inp) / w2;
}

/** mean_i ‖row_i‖^s of a dense [B, n] array (the E‖h‖^s of activationDiagnostics). */
export function rowNormMoment(h: ArrayLike<number>, B: number, s: number): number {
  const n = h.length / B;
  let acc = 0;
  for (let i = 0; i < B; i++) {
    let sq = 0;
    for (let j = 0; j < n; j++) sq += (h[i * n + j] as number) ** 2;
    acc += Math.pow(Math.sqrt(sq), s);
  }
  return acc / B;
}

/** γ̂ of one layer from its inputs x [B, in] and probe gradient dL/dy [B, out] (= δ_i / B, the loss a batch mean). */
function layerGamma(layer: Dense, xs: ArrayLike<number>, probeGrad: Tensor | null, B: number): number {
  const [out, inp] = layer.W.shape as [number, number];
  const Weff = Float64Array.from(layer.W.dense(), (w) => w * layer.scale);
  const d = probeGrad === null ? new Float64Array(B * out) : probeGrad.dense();
  let acc = 0;
  for (let c = 0; c < B; c += GAMMA_CHUNK) {
    const grads: Float64Array[] = [];
    for (let i = c; i < Math.min(B, c + GAMMA_CHUNK); i++) {
      const g = new Float64Array(out * inp);
      for (let j = 0; j < out; j++) {
        const dj = (d[i * out + j] as number) * B;
        for (let k = 0; k < inp; k++) g[j * inp + k] = dj * (xs[i * inp + k] as number);
      }
      grads.push(g);
    }
    // empiricalGamma averages over its samples; weighting each chunk by its size gives the mean over the batch
    acc += empiricalGamma(Weff, grads) * grads.length;
  }
  return acc / B;
}

/**
 * The Lq path-norm ‖Φ(θ)‖_q of a Dense network (Gonon et al. 2024; src/init's `pathNorm`), computed on float64
 * copies of the weights. Layers with scale ≠ 1 are rejected by `pathNorm` (DomainError), as everywhere in src/init.
 */
export function densePathNorm(layers: readonly Dense[], q = 2): number {
  checkDenseLayers(layers, 'layers');
  const mlp: LayerTensors[] = layers.map((l) => ({
    W: Float64Array.from(l.W.dense()),
    ...(l.b === null ? {} : { b: Float64Array.from(l.b.dense()) }),
    shape: [l.W.shape[0] as number, l.W.shape[1] as number],
    scale: l.scale,
  }));
  return pathNorm(mlp, q);
}

/** Options of `jacobianNorm`. */
export interface JacobianNormOptions {
  /** Seed of the random projections (a safe integer ≥ 0 or a bigint). */
  readonly seed: Seed;
  /** Projections per sample k (a positive integer); default 1. */
  readonly projections?: number;
}

/**
 * Random-projection estimate of the input–output Jacobian norm, √(E_x ‖J(x)‖_F²), J(x) = ∂f(x)/∂x of `model` on the
 * rows of `x` [B, in]. For v ~ N(0, I_out), E_v ‖J(x)ᵀ v‖² = tr(J Jᵀ) = ‖J‖_F² (Hutchinson's trace estimator), and
 * J(x_i)ᵀ v_i for every row at once is the input gradient of Σ_i ⟨v_i, f(x_i)⟩ — one backward pass per projection.
 * The estimate averages ‖J(x_i)ᵀ v_i‖² over the B rows and k projections (relative standard error ≈ √(2/(B·k·out))
 * for a Jacobian with equal singular values). Assumes the model treats rows independently (no batch statistics);
 * runs in evaluation mode and restores the mode and the parameters' gradients. v is drawn by src/init's `normal`
 * from `createRng(seed)`, row-major, projection after projection.
 */
export function jacobianNorm(model: Trainable, x: Tensor, options: JacobianNormOptions): number {
  const m = checkTrainable(model, 'model');
  checkTensorArg('x', x);
  if (x.ndim !== 2 || x.shape[0] === 0 || x.shape[1] === 0) throw new ShapeError(`x must be a non-empty batch [B, in], got shape ${describe([...x.shape])}`);
  const o = checkedOptions('jacobianNorm', options, optionKeys<JacobianNormOptions>({ seed: true, projections: true }));
  if (o['seed'] === undefined) throw new DomainError('options.seed is required (every random draw takes an explicit seed)');
  const rng = createRng(seedToUint64(o['seed'] as Seed, 'options.seed'));
  const k = positiveIntParam('options.projections', o['projections'], 1);
  const params = m.parameters();
  const saved = params.map((p) => p.grad);
  const was = typeof m.training === 'boolean' ? m.training : true;
  m.eval();
  try {
    const xin = tensor(x.dense(), [...x.shape], { dtype: x.dtype, requiresGrad: true });
    const B = x.shape[0] as number;
    let acc = 0;
    for (let p = 0; p < k; p++) {
      xin.zeroGrad();
      const out = forwardChecked(m, xin);
      if (out.ndim !== 2 || out.shape[0] !== B) throw new ShapeError(`model.forward must map [B, in] to [B, out], got shape ${describe([...out.shape])}`);
      const v = tensor(normal([B, out.shape[1] as number], rng, { dtype: 'float64' }), [...out.shape], { dtype: out.dtype });
      sum(mul(out, v)).backward();
      const g = xin.grad?.dense();
      if (g !== undefined) for (let i = 0; i < g.length; i++) acc += (g[i] as number) ** 2;
    }
    return Math.sqrt(acc / (B * k));
  } finally {
    params.forEach((t, i) => {
      t.grad = saved[i] ?? null;
    });
    m.train(was);
  }
}
