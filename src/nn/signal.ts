/**
 * Signal-propagation diagnostics of a ReLU MLP at initialization: how the second moments of activations and of
 * back-propagated gradients evolve with depth, and how many units are dead. These are the quantities the scaling
 * schemes in src/init try to keep balanced (He: forward moments; geometric / Defazio–Bottou: the per-layer
 * scaling constant γ_l; fractional: E‖x‖^s), so measuring them is the first experiment on any scheme.
 */
import { secondMoment } from '../init/index.js';
import { type Labels, type Tensor, crossEntropy, zeros } from '../tensor/index.js';
import { DomainError, ShapeError, describe } from '../core/errors.js';
import { checkBatch, checkDenseLayers, checkProbed, checkTensorArg } from './checks.js';
import { Sequential } from './layers/container.js';
import { Linear } from './layers/linear.js';
import { type Dense, mlpForward } from './mlp.js';
import type { Module } from './module.js';

export interface LayerSignal {
  /** Layer index (0 = first weight layer). */
  readonly layer: number;
  readonly fanIn: number;
  readonly fanOut: number;
  /** E[x_l²]: second moment of the layer's input (the data for l = 0, a ReLU output after). */
  readonly inputSecondMoment: number;
  /** E[y_l²]: second moment of the pre-activation y_l = x_l W_lᵀ + b_l. */
  readonly preactSecondMoment: number;
  /** Fraction of this layer's units with y ≤ 0 on every sample of the batch (null for the linear output layer). */
  readonly deadFraction: number | null;
  /** Per-sample E[(∂ℓ/∂y_l)²], ℓ the cross-entropy of one sample. */
  readonly outputGradSecondMoment: number;
  /** E[W_l²] of the effective weight scale·W_l. */
  readonly weightSecondMoment: number;
  /** E[(∂L/∂W_l)²] for the batch-mean loss L, W_l the effective weight scale·W_l. */
  readonly weightGradSecondMoment: number;
}

export interface SignalReport {
  readonly loss: number;
  readonly layers: LayerSignal[];
}

/** E[t²] over every element (float64 accumulation, src/init's `secondMoment`). */
const moment2 = (t: Tensor): number => secondMoment(t.dense());

/**
 * Forward + backward through `layers` on batch `x` with cross-entropy against `labels`, recording per-layer moments.
 * Gradients w.r.t. pre-activations come from zero "probe" leaves added to each y_l (dL/dprobe = dL/dy_l), so the
 * ordinary autograd does the work. Weight gradients are left in `W.grad` / `b.grad`.
 * `layers` and `x` as for `mlpForward`; `labels` as for `crossEntropy` (one class index per row of x).
 */
export function signalPropagation(layers: readonly Dense[], x: Tensor, labels: Labels): SignalReport {
  checkDenseLayers(layers, 'layers');
  checkBatch(x, layers, 'x');
  const batch = x.shape[0] as number;
  const probes: Tensor[] = [];
  const inputs: number[] = [];
  const preacts: number[] = [];
  const dead: (number | null)[] = [];
  const out = mlpForward(layers, x, {
    probe: zeroProbes(probes),
    observe: (l, input, y) => {
      inputs.push(moment2(input));
      preacts.push(moment2(y));
      dead.push(l + 1 < layers.length ? deadFraction(y) : null);
    },
  });
  for (const layer of layers) {
    layer.W.zeroGrad();
    layer.b?.zeroGrad();
  }
  const loss = crossEntropy(out, labels);
  loss.backward();
  const report: LayerSignal[] = layers.map((layer, l) => {
    const probe = probes[l] as Tensor;
    const gW = layer.W.grad;
    return {
      layer: l,
      fanIn: layer.W.shape[1] as number,
      fanOut: layer.W.shape[0] as number,
      inputSecondMoment: inputs[l] as number,
      preactSecondMoment: preacts[l] as number,
      deadFraction: dead[l] as number | null,
      // The loss is a batch mean, so dL/dy_l of a sample is (1/B)·∂ℓ/∂y_l: rescale to the per-sample gradient.
      outputGradSecondMoment: probe.grad === null ? 0 : moment2(probe.grad) * batch * batch,
      // Moments of the effective weight scale·W and of its gradient (∂L/∂W)/scale, so that a layer with a forward
      // scale reads like the same function with the factor folded into the weights.
      weightSecondMoment: moment2(layer.W) * layer.scale * layer.scale,
      weightGradSecondMoment: gW === null ? 0 : moment2(gW) / (layer.scale * layer.scale),
    };
  });
  return { loss: loss.item(), layers: report };
}

/**
 * A `probe` hook for `mlpForward` that adds a zero leaf p_l to each pre-activation y_l and appends it to `probes`:
 * after `backward`, p_l.grad = dL/dy_l.
 */
export function zeroProbes(probes: Tensor[]): (l: number, y: Tensor) => Tensor {
  return (_l, y) => {
    const p = zeros(y.shape, { dtype: y.dtype, requiresGrad: true });
    probes.push(p);
    return y.add(p);
  };
}

/**
 * Fraction of columns (units) of a [batch, units] pre-activation that are ≤ 0 on every row; a rank-1 `y` [units] is
 * one sample (the unbatched layout of a dense layer's output). `y` must have at least one unit and one sample
 * (ShapeError otherwise: the fraction would be 0/0).
 */
export function deadFraction(y: Tensor): number {
  checkTensorArg('y', y);
  if (y.ndim !== 1 && y.ndim !== 2) throw new ShapeError(`y must be a [batch, units] or [units] Tensor, got shape ${describe([...y.shape])}`);
  const [rows, cols] = (y.ndim === 1 ? [1, y.shape[0]] : y.shape) as [number, number];
  if (rows === 0 || cols === 0) throw new ShapeError(`y must have at least one sample and one unit, got shape ${describe([...y.shape])}`);
  const v = y.dense();
  let deadUnits = 0;
  for (let j = 0; j < cols; j++) {
    let alive = false;
    for (let i = 0; i < rows && !alive; i++) alive = (v[i * cols + j] as number) > 0;
    if (!alive) deadUnits++;
  }
  return deadUnits / cols;
}

/** One weight layer of a Sequential: its Linear and the parameter-free modules after it (its activation, if any). */
export interface SequentialLayer {
  readonly linear: Linear;
  readonly after: readonly Module[];
}

/**
 * The weight layers of `model` (called `name`), a Sequential [Linear, act…, Linear, act…, …] as `mlp()` builds it:
 * the first child must be a Linear, every other child a Linear or a module without parameters (an activation), and
 * consecutive Linears must chain (in = the previous out). A ShapeError / DomainError naming the child otherwise.
 */
export function sequentialLayers(model: unknown, name = 'model'): SequentialLayer[] {
  if (!(model instanceof Sequential)) throw new DomainError(`${name} must be a Sequential of Linear layers and activations (e.g. from mlp()), got ${describe(model)}`);
  const layers: { linear: Linear; after: Module[] }[] = [];
  model.namedChildren().forEach(([childName, child]) => {
    if (child instanceof Linear) {
      const prev = layers[layers.length - 1];
      if (prev !== undefined && prev.linear.outFeatures !== child.inFeatures) {
        throw new ShapeError(`${name} child ${childName}: a Linear with ${child.inFeatures} inputs follows one with ${prev.linear.outFeatures} outputs (consecutive layers must chain)`);
      }
      layers.push({ linear: child, after: [] });
      return;
    }
    const last = layers[layers.length - 1];
    if (last === undefined) throw new DomainError(`${name} must start with a Linear layer, child ${childName} is a ${child.constructor.name}`);
    if (child.parameters().length > 0) {
      throw new DomainError(`${name} child ${childName} (${child.constructor.name}) has parameters; only Linear layers and parameter-free activations are walked`);
    }
    last.after.push(child);
  });
  return layers;
}

/** What `sequentialForward` calls around weight layer l. */
export interface SequentialHooks {
  /** May replace the pre-activation y_l (e.g. add a zero leaf whose gradient is dL/dy_l). */
  readonly probe?: (l: number, y: Tensor) => Tensor;
  /** Sees the layer's input x_l (before the Linear's scale) and its pre-activation y_l (after `probe`). */
  readonly observe?: (l: number, input: Tensor, y: Tensor) => void;
  /** Sees the layer's output h_l: y_l after the modules that follow the Linear (y_l itself when none do). */
  readonly activated?: (l: number, h: Tensor) => void;
}

/**
 * Forward pass of a Sequential of Linear layers and activations, weight layer by weight layer (`sequentialLayers`),
 * with the hooks of `mlpForward` (probe, observe) plus `activated`. Gives the same output as `model.forward(x)`.
 */
export function sequentialForward(layers: readonly SequentialLayer[], x: Tensor, hooks: SequentialHooks = {}): Tensor {
  let h = checkTensorArg('x', x);
  layers.forEach(({ linear, after }, l) => {
    const input = h;
    let y = linear.forward(input);
    if (hooks.probe !== undefined) y = checkProbed(hooks.probe(l, y), y, l);
    hooks.observe?.(l, input, y);
    h = after.reduce((t, m) => m.forward(t), y);
    hooks.activated?.(l, h);
  });
  return h;
}
