/**
 * The data model of `initlab sweep`: a grid of widths × depths × schemes × seeds, one pure seeded job per point, and
 * the records the JSONL log holds (one line per finished or failed job, keyed by the job's canonical configuration).
 */
import type { InitOptions } from '../../init/index.js';
import type { CompareConfig, RunMeta, SchemeSpec, SignalRun, TrainRun } from '../compare/types.js';

/**
 * What every job of a sweep shares: the data, the training budget as `compare` defines it (steps, batchSize,
 * optimizer, lr, momentum, logEvery, trainSize, testSize, sMoment, dtype) and the measurement sizes.
 */
export interface SweepSettings extends Pick<CompareConfig, 'steps' | 'batchSize' | 'optimizer' | 'lr' | 'momentum' | 'logEvery' | 'trainSize' | 'testSize' | 'sMoment' | 'dtype'> {
  /** The data: its description and a checksum of its values (both part of every job's key). */
  readonly data: string;
  readonly dataChecksum: string;
  /** Coordinate check: mean |activation| of every layer recorded after steps 0..coordSteps (0 = at init). */
  readonly coordSteps: number;
  /** Rows of the batch the signal at init and the coordinate check are measured on. */
  readonly signalBatchSize: number;
  /** Rows handed to data-anchored schemes (lps_r, lps_r_plus) as their init batch. */
  readonly anchorBatchSize: number;
  /** The resolved kernel backend the jobs run on (results are bit-identical per backend, so it is in the key). */
  readonly backend: string;
}

/** What a sweep runs. Parsed once (CLI flags or a grid file) into this record; the engine takes resolved values only. */
export interface SweepConfig extends SweepSettings {
  /** Hidden widths and depths (numbers of hidden layers) swept; input and class count come from the data. */
  readonly widths: readonly number[];
  readonly depths: readonly number[];
  readonly schemes: readonly SchemeSpec[];
  readonly seeds: readonly number[];
  /** Level of the intervals over seeds in the report (not part of a job: it changes no job's numbers). */
  readonly confidence: number;
}

/** One point of the grid: everything its result depends on (its canonical JSON is its key in the log). */
export interface SweepJob extends SweepSettings {
  readonly width: number;
  readonly depth: number;
  /** The scheme's registry name and options (its id is `schemeId(name, options)`). */
  readonly scheme: { readonly id: string; readonly name: string; readonly options: InitOptions };
  readonly seed: number;
}

/** The μP coordinate check of one job: mean |activation| per layer after each of the first training steps. */
export interface CoordCheck {
  /** Optimizer steps taken before each record: 0 (at init), 1, …, coordSteps (fewer when training stopped early). */
  readonly steps: readonly number[];
  /** Layer names: 'hidden 1' … 'hidden L' (after the ReLU), 'output' (the logits). */
  readonly layers: readonly string[];
  /** meanAbs[t][l]: mean over units and rows of |x_l| on the signal batch after steps[t] steps. */
  readonly meanAbs: readonly (readonly number[])[];
}

/** What a finished job measured. */
export interface SweepJobResult {
  readonly signal: SignalRun;
  readonly train: TrainRun;
  readonly coord: CoordCheck;
}

/** One line of `sweep.jsonl`: a job with its result, or with the error it threw (the sweep goes on). */
export type SweepRecord =
  | { readonly key: string; readonly job: SweepJob; readonly result: SweepJobResult; readonly millis: number }
  | { readonly key: string; readonly job: SweepJob; readonly error: string; readonly millis: number };

/** Progress of a sweep: jobs finished (run or found in the log) out of the grid. */
export interface SweepProgress {
  readonly done: number;
  readonly total: number;
  readonly label: string;
}

/** `runSweep`'s result: the records of the grid in grid order, and how many jobs ran now vs came from the log. */
export interface SweepResult {
  readonly config: SweepConfig;
  readonly meta: RunMeta & { readonly workers: number };
  readonly records: readonly SweepRecord[];
  readonly ran: number;
  readonly skipped: number;
  /** The log file the records were appended to. */
  readonly log: string;
}
