/**
 * What a paper preset of `initlab experiment` produces: the claims with their provenance, measured intervals and
 * verdicts, the setup, tables of numbers and curve data for the report's figures (plain data; src/report draws it).
 */
import type { Interval, RunMeta } from '../compare/types.js';
import type { Verdict } from './verdict.js';

/** One checked claim: what the paper says (our words), where that rests, what was measured and the verdict. */
export interface ClaimResult {
  readonly id: string;
  /** The claim in the report's own words. */
  readonly statement: string;
  /** Provenance of the claim and of the formula it is checked against, with the spec's tags (e.g. '[V:abs]; formula [D]'). */
  readonly provenance: string;
  /** How the verdict is computed (the band or the direction, fixed before the run). */
  readonly test: string;
  /** One row per case checked: its label, measured interval over seeds, prediction and verdict. */
  readonly cases: readonly ClaimCase[];
  /** The claim's verdict: every case must hold (combineVerdicts). */
  readonly verdict: Verdict;
}

/** One case of a claim (e.g. one activation and one s). */
export interface ClaimCase {
  readonly label: string;
  readonly measured: Interval;
  /** The prediction or the comparison, as text (e.g. '1 ×/÷1.25', '> 0'). */
  readonly predicted: string;
  readonly verdict: Verdict;
  readonly reason: string;
}

/** A curve over seeds for a figure: mean and interval per x, and the per-seed values. */
export interface CurveData {
  readonly name: string;
  readonly x: readonly number[];
  readonly mean: readonly number[];
  readonly lo: readonly number[];
  readonly hi: readonly number[];
  readonly seeds: readonly { readonly seed: number; readonly y: readonly number[] }[];
}

/** A figure's data: panels of curves, axis titles, an optional reference line. */
export interface FigureData {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly xTitle: string;
  readonly yTitle: string;
  readonly logY: boolean;
  readonly logX?: boolean;
  readonly reference?: { readonly value: number; readonly label: string };
  readonly floor?: number;
  readonly ceil?: number;
  readonly panels: readonly { readonly title: string; readonly curves: readonly CurveData[] }[];
  /** What the curves are, as the legend's title (default 'scheme'). */
  readonly legendTitle?: string;
}

/** A table of numbers (cells already formatted). */
export interface TableData {
  readonly title: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** The result of one preset. */
export interface PresetResult {
  readonly name: string;
  readonly title: string;
  readonly paper: string;
  readonly quick: boolean;
  readonly seeds: readonly number[];
  /** The setup as label–value pairs. */
  readonly setup: readonly (readonly [string, string])[];
  readonly claims: readonly ClaimResult[];
  readonly tables: readonly TableData[];
  readonly figures: readonly FigureData[];
  /** The preset's verdict: every claim must hold (combineVerdicts). */
  readonly verdict: Verdict;
  readonly meta: RunMeta;
}

/** Options every preset takes, resolved by the caller (the CLI). */
export interface PresetOptions {
  readonly quick: boolean;
  /** Seeds: seed, seed + 1, … */
  readonly seeds: readonly number[];
  readonly confidence: number;
  readonly command: string;
  /** Called after each unit of work (a label and counts), for progress display. */
  readonly onProgress?: (done: number, total: number, label: string) => void;
}

/** A preset as the registry of presets lists it. */
export interface Preset {
  readonly name: string;
  readonly title: string;
  /** Setup of the full and quick sizes, one line each, and the measured full run time, for the help. */
  readonly sizes: string;
  run(options: PresetOptions): PresetResult;
}
