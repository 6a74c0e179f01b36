/**
 * The training loop: per step zeroGrad → forward → loss → backward → optional clipping → optimizer step → scheduler
 * step, with a per-step and per-epoch history, evaluation, callbacks, periodic per-layer diagnostics, and a clean stop
 * (history kept) when the loss or the gradient norm stops being finite.
 */
import { clipGradNorm } from '../optim/index.js';
import { weightDiagnostics, type LayerWeightDiagnostics } from '../diagnostics.js';
import { evaluateResolved } from './loss.js';
import { checkTrainable, forwardChecked, type Trainable } from './model.js';
import { parseFitOptions, type CallbackContext, type EpochRecord, type FitOptions, type ResolvedFit, type StepRecord } from './options.js';
import { createProgress } from './progress.js';

/** Why and where `fit` stopped early. */
export interface FitStop {
  /** The step whose loss (or gradient norm) was not finite; no update was made at that step. */
  readonly step: number;
  readonly epoch: number;
  readonly reason: string;
}

/** What `fit` returns. */
export interface FitResult {
  /** One record per completed step, in order. */
  readonly steps: StepRecord[];
  /** One record per epoch in which steps completed (none for an epoch cut short by a stop). */
  readonly epochs: EpochRecord[];
  /** `weightDiagnostics(model)` after every `options.every`-th step. */
  readonly diagnostics: { readonly step: number; readonly layers: LayerWeightDiagnostics[] }[];
  /** Null when the run completed; otherwise the step where the loss or gradient norm became NaN / ±Infinity. */
  readonly stopped: FitStop | null;
}

/** The learning rate of every group of the optimizer now. */
function rates(o: ResolvedFit): number[] {
  return Array.from({ length: o.optimizer.groupCount }, (_, i) => o.optimizer.getLr(i));
}

/**
 * Train `model` with `options` (FitOptions; parsed once, before any work: unknown keys and bad values are
 * DomainErrors naming the option). The model is put in training mode; each step runs
 *
 *     optimizer.zeroGrad(); out = model.forward(x); L = loss(out, y); L.backward();
 *     [clipGradNorm(params, clipNorm)]; optimizer.step(); [scheduler.step()]
 *
 * over the loader's epochs 0, 1, … (its seeded order), so the same model, seed, loader and options give a
 * bit-identical history. A NaN / ±Infinity loss (or gradient norm, with clipping) ends the run before that step's
 * update with `stopped` set and the history so far returned (never thrown away).
 */
export function fit(model: Trainable, options: FitOptions): FitResult {
  const m = checkTrainable(model, 'model');
  const o = parseFitOptions(options);
  const params = m.parameters();
  const result = { steps: [] as StepRecord[], epochs: [] as EpochRecord[], diagnostics: [] as FitResult['diagnostics'] };
  const ctx: CallbackContext = { model: m, diagnostics: () => weightDiagnostics(m) };
  const bar = createProgress(o.totalSteps, o.progress);
  m.train(true);
  let step = 0;
  try {
    for (let epoch = 0; step < o.totalSteps; epoch++) {
      let sum = 0;
      let count = 0;
      for (const { x, y } of o.data.epoch(epoch)) {
        if (step >= o.totalSteps) break;
        o.optimizer.zeroGrad();
        const L = o.loss(forwardChecked(m, x), y);
        const loss = L.item();
        if (!Number.isFinite(loss)) {
          return { ...result, stopped: { step, epoch, reason: `loss is ${loss} at step ${step} (epoch ${epoch}): training diverged; no update made, history up to step ${step - 1} kept (lower the learning rate or set clipNorm)` } };
        }
        L.backward();
        let gradNorm: number | undefined;
        if (o.clipNorm !== null) {
          gradNorm = clipGradNorm(params, o.clipNorm, { errorIfNonfinite: false });
          if (!Number.isFinite(gradNorm)) {
            return { ...result, stopped: { step, epoch, reason: `gradient norm is ${gradNorm} at step ${step} (epoch ${epoch}): training diverged; no update made, history up to step ${step - 1} kept` } };
          }
        }
        const lr = rates(o);
        o.optimizer.step();
        o.scheduler?.step();
        const record: StepRecord = gradNorm === undefined ? { step, epoch, loss, lr } : { step, epoch, loss, lr, gradNorm };
        result.steps.push(record);
        sum += loss;
        count++;
        step++;
        bar.update(step, loss);
        if (o.every !== null && step % o.every === 0) result.diagnostics.push({ step: step - 1, layers: weightDiagnostics(m) });
        if (o.onStep !== null && o.onStep !== undefined && step % o.callbackEvery === 0) o.onStep(record, ctx);
      }
      const rec = epochRecord(m, o, epoch, count, sum);
      result.epochs.push(rec);
      if (o.onEpoch !== null && o.onEpoch !== undefined) o.onEpoch(rec, ctx);
    }
    return { ...result, stopped: null };
  } finally {
    bar.stop();
  }
}

function epochRecord(m: Trainable, o: ResolvedFit, epoch: number, steps: number, sum: number): EpochRecord {
  const trainLoss = sum / steps;
  if (o.evalData === null || o.evalLoss === null) return { epoch, steps, trainLoss };
  const ev = evaluateResolved(m, o.evalData, o.evalLoss);
  return ev.accuracy === undefined ? { epoch, steps, trainLoss, evalLoss: ev.loss } : { epoch, steps, trainLoss, evalLoss: ev.loss, evalAccuracy: ev.accuracy };
}
