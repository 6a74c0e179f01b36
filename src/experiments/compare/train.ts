/**
 * The fixed-budget training run of one scheme at one seed: the optimizer with the scheme's learning-rate rule, `fit`
 * for `steps` steps on the seed's batch order, the loss averaged over windows of `logEvery` steps, and the accuracy
 * on the test subset.
 */
import { DomainError, describe } from '../../core/errors.js';
import { mlpOps, scalingReport, secondMoment, type Gammas } from '../../init/index.js';
import {
  Adam, evaluate, fit, Linear, meanFieldLrGroups, mupLrGroups, scalingLrGroups, SGD, type DataLoader, type LayerGroup, type MupLrGroupOptions, type Sequential, type StepRecord,
} from '../../nn/index.js';
import type { CompareConfig, SchemeSpec, TrainRun } from './types.js';

/** The verified mean-field rates cover 1–3 hidden layers; deeper nets use the inferred general-depth rule. */
const VERIFIED_MEANFIELD_DEPTH = 3;

/** Each Linear of `model` as the `{ W, b }` layer the per-layer learning-rate rules take. */
function linearLayers(model: Sequential): { W: Linear['weight']; b: Linear['bias'] }[] {
  return model.children().filter((m): m is Linear => m instanceof Linear).map((l) => ({ W: l.weight, b: l.bias }));
}

/**
 * Parameter groups of the scheme's learning-rate rule (SchemeSpec.lrRule), or null for one base rate:
 * 'meanfield': `meanFieldLrGroups` with α0 = config.lr and the scheme's gammas (default 1), the verified rule up to
 * 3 hidden layers and the inferred general-depth rule beyond; 'scaling-calculus': `scalingLrGroups` (Defazio–Bottou
 * multipliers) from a report of the network with its weights' measured E[(scale·W)²]; 'mup': `mupLrGroups` (MuSGD or
 * MuAdam per-tensor rates relative to the scheme's baseWidth).
 */
export function lrGroups(
  spec: Pick<SchemeSpec, 'id' | 'lrRule' | 'options'>,
  model: Sequential,
  config: Pick<CompareConfig, 'widths' | 'lr' | 'optimizer'>,
): LayerGroup[] | null {
  if (spec.lrRule === 'uniform') return null;
  const layers = linearLayers(model);
  if (spec.lrRule === 'meanfield') {
    const gammas = (spec.options['gammas'] ?? 1) as Gammas;
    const depth = config.widths.length - 2;
    return meanFieldLrGroups(layers, config.widths, gammas, { baseLr: config.lr, rule: depth <= VERIFIED_MEANFIELD_DEPTH ? 'verified' : 'inferred' });
  }
  if (spec.lrRule === 'scaling-calculus') {
    const scales = model.children().filter((m): m is Linear => m instanceof Linear).map((l) => l.scale);
    const vars = layers.map((l, i) => secondMoment(l.W.dense()) * scales[i]! ** 2);
    const report = scalingReport(mlpOps(config.widths, vars), { inputShape: [config.widths[0]!], scheme: 'given' });
    return scalingLrGroups(layers, report, config.lr);
  }
  if (spec.lrRule === 'mup') {
    const baseWidth = spec.options['baseWidth'] as MupLrGroupOptions['baseWidth'];
    return mupLrGroups(model, config.lr, { ...(baseWidth === undefined ? {} : { baseWidth }), optimizer: config.optimizer });
  }
  throw new DomainError(`scheme ${spec.id}: unknown lrRule ${describe(spec.lrRule)}`);
}

/** Mean of the step losses over windows of `every` steps, recorded at the last step of each (a last partial window too). */
export function windowedLoss(steps: readonly StepRecord[], every: number): { steps: number[]; loss: number[] } {
  const out = { steps: [] as number[], loss: [] as number[] };
  for (let start = 0; start < steps.length; start += every) {
    const w = steps.slice(start, start + every);
    out.steps.push(w[w.length - 1]!.step);
    out.loss.push(w.reduce((a, r) => a + r.loss, 0) / w.length);
  }
  return out;
}

/**
 * The windowed loss of a run given a budget of `budget` steps, on the full grid of ⌈budget/every⌉ windows (x as in
 * `windowedLoss`: the 0-based index of each window's last step), so that every seed has a value at every x: the
 * windows a run that stopped early (`stopped`) never reached are NaN. `final` is the last window's loss, NaN for a run
 * that stopped early (its last recorded window is partial, not the budget's).
 */
export function budgetCurve(records: readonly StepRecord[], budget: number, every: number, stopped: boolean): { steps: number[]; loss: number[]; final: number } {
  const w = windowedLoss(records, every);
  const steps = budgetGrid(budget, every);
  const loss = steps.map((_, i) => w.loss[i] ?? NaN);
  return { steps, loss, final: stopped ? NaN : loss[loss.length - 1]! };
}

/** The x of `budgetCurve`: the 0-based index of the last step of each of the ⌈budget/every⌉ windows. */
export const budgetGrid = (budget: number, every: number): number[] =>
  Array.from({ length: Math.ceil(budget / every) }, (_, i) => Math.min((i + 1) * every, budget) - 1);

/**
 * Train `model` for config.steps steps of `train` (its seeded order) with the scheme's optimizer and rule, then
 * evaluate on `test`. A non-finite loss ends the run early (`stopped` says where; the history is kept) and the model
 * is evaluated as it stands. `onLog(step)` is called every config.logEvery steps.
 */
export function trainRun(
  spec: SchemeSpec, model: Sequential, config: CompareConfig, train: DataLoader, test: DataLoader, onLog?: (step: number) => void,
): TrainRun {
  const t0 = performance.now();
  const groups = lrGroups(spec, model, config);
  const params = groups ?? model.parameters();
  const optimizer = config.optimizer === 'sgd'
    ? new SGD(params, { lr: config.lr, momentum: config.momentum })
    : new Adam(params, { lr: config.lr });
  const r = fit(model, {
    data: train, loss: 'cross_entropy', optimizer, steps: config.steps, progress: false,
    ...(onLog === undefined ? {} : { callbacks: { every: config.logEvery, onStep: (rec: StepRecord) => onLog(rec.step + 1) } }),
  });
  const curve = windowedLoss(r.steps, config.logEvery);
  const ev = evaluate(model, test, 'cross_entropy');
  return {
    steps: curve.steps, loss: curve.loss, testAccuracy: ev.accuracy ?? NaN, testLoss: ev.loss,
    stopped: r.stopped === null ? null : r.stopped.reason, millis: performance.now() - t0,
  };
}
