/**
 * Signal propagation at init of one network on real data batches, as a SignalRun: per hidden layer the
 * pre-activation second moment, the s-moment ratio E‖x_l‖^s / E‖x_0‖^s, the dead-unit fraction and E[x_l²], per
 * weight layer the empirical Defazio–Bottou γ_l, and the output's second moment (src/nn's `activationDiagnostics`).
 */
import { rowNormMoment } from '../../nn/diagnostics.js';
import { activationDiagnostics, type LayerActivationDiagnostics, type Sequential } from '../../nn/index.js';
import { mean } from '../stats.js';
import type { LabelledBatch } from './data.js';
import type { SignalRun } from './types.js';

/**
 * The SignalRun of `model` (a Sequential of Linear + ReLU from `mlp()`) on `batches`: each statistic is measured on
 * every batch (`activationDiagnostics` with order `s`) and averaged over the batches (equal sizes, so moments are
 * those of the pooled rows; the dead fraction is per batch, then averaged). The s-moment ratio divides the pooled
 * E‖x_l‖^s by the pooled E‖x_0‖^s of the inputs. `outputVariance` is E[y²] of the outputs over units and samples: the
 * variance over the weight draw of an output whose mean over draws is 0 (a mean-zero last layer, no output bias).
 */
export function measureSignal(model: Sequential, batches: readonly LabelledBatch[], s: number): SignalRun {
  const per: LayerActivationDiagnostics[][] = batches.map((b) => activationDiagnostics(model, b.x, b.labels, { s }));
  const x0 = mean(batches.map((b) => rowNormMoment(b.x.dense(), b.x.shape[0] as number, s)));
  const layers = per[0]!.length;
  const col = (l: number, f: (d: LayerActivationDiagnostics) => number): number => mean(per.map((p) => f(p[l]!)));
  const hidden = Array.from({ length: layers - 1 }, (_, l) => l);
  return {
    secondMoment: hidden.map((l) => col(l, (d) => d.preactSecondMoment)),
    sMomentRatio: hidden.map((l) => col(l, (d) => d.activationNormMoment) / x0),
    deadFraction: hidden.map((l) => col(l, (d) => d.deadFraction ?? 0)),
    gamma: Array.from({ length: layers }, (_, l) => col(l, (d) => d.gamma)),
    outputVariance: col(layers - 1, (d) => d.preactSecondMoment),
    activationSecondMoment: hidden.map((l) => col(l, (d) => d.activationSecondMoment)),
  };
}
