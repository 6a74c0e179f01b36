/**
 * The training half of the geometric preset: one network of the preset trained on MNIST with plain SGD for a fixed
 * budget, either at one global learning rate or with the Defazio–Bottou per-layer multipliers λ_l = sqrt(γ_ref/γ_l)
 * (§6.6 of the spec, a reconstruction [D]) read off the scaling report of the network as initialized.
 */
import type { Seed } from '../../init/index.js';
import { DataLoader, evaluate, fit, layerGroups, Linear, SGD, type Dataset, type LayerGroup, type Sequential } from '../../nn/index.js';
import { budgetCurve, lrGroups } from '../compare/train.js';

/** Training budget of a geometric run (initlab's protocol, not the paper's: its experiments are unknown). */
export interface GeometricTrain {
  /** SGD steps, batch size, the one global rate (plain SGD, no momentum) and the loss window of the curves. */
  readonly steps: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly logEvery: number;
  /** Batches are drawn from the first `trainSize` training images; the final loss is measured on the first `evalSize`. */
  readonly trainSize: number;
  readonly evalSize: number;
}

/** The two learning-rate conditions every init is trained under. */
export const LR_CONDITIONS = [
  { id: 'global', label: 'one global rate', multipliers: false },
  { id: 'multipliers', label: 'LR multipliers λ_l', multipliers: true },
] as const;

/** One training run: the windowed loss curve (NaN-padded past a divergence), the final loss and the rates used. */
export interface GeometricTrainRun {
  readonly curve: { readonly steps: number[]; readonly loss: number[] };
  /** Mean cross-entropy on the first evalSize training images after the budget; NaN when training diverged. */
  readonly finalLoss: number;
  readonly diverged: boolean;
  /** The learning rate of each weight layer's group divided by the global rate (all 1 without multipliers). */
  readonly multipliers: number[];
}

/**
 * The parameter groups of `model` (a Sequential of Linear + ReLU from `mlp()` with `widths`) for one condition:
 * without multipliers one group per Linear, all at `lr` (so both conditions build the optimizer the same way);
 * with them the 'scaling-calculus' rule of `compare` (`lrGroups` → `scalingLrGroups`): rate lr·λ_l from the
 * scaling report of the network with its weights' measured second moments.
 */
export function geometricLrGroups(model: Sequential, widths: readonly number[], lr: number, multipliers: boolean): LayerGroup[] {
  if (multipliers) return lrGroups({ id: 'geometric', lrRule: 'scaling-calculus', options: {} }, model, { widths, lr, optimizer: 'sgd' })!;
  const layers = model.children().filter((m): m is Linear => m instanceof Linear).map((l) => ({ W: l.weight, b: l.bias }));
  return layerGroups(layers, layers.map(() => lr));
}

/**
 * Train `model` for `t.steps` steps of `train` in the order of `orderSeed` (the same batches for every condition of
 * a seed) and measure the loss on `evalSet` afterwards. A non-finite loss stops `fit` (diverged: final loss NaN).
 */
export function geometricTrainRun(
  model: Sequential, widths: readonly number[], t: GeometricTrain, multipliers: boolean, train: Dataset, evalSet: Dataset, orderSeed: Seed,
): GeometricTrainRun {
  const groups = geometricLrGroups(model, widths, t.lr, multipliers);
  const r = fit(model, {
    data: new DataLoader(train, { batchSize: t.batchSize, seed: orderSeed }), loss: 'cross_entropy',
    optimizer: new SGD(groups, { lr: t.lr }), steps: t.steps, progress: false,
  });
  const diverged = r.stopped !== null;
  // A diverged run's curve stops early: budgetCurve pads it so every seed has a value (NaN) at every window.
  const { steps, loss } = budgetCurve(r.steps, t.steps, t.logEvery, diverged);
  const finalLoss = diverged ? NaN : evaluate(model, new DataLoader(evalSet, { batchSize: 512, shuffle: false }), 'cross_entropy').loss;
  return { curve: { steps, loss }, finalLoss, diverged, multipliers: groups.map((g) => g.lr / t.lr) };
}
