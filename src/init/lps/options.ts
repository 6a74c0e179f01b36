/**
 * Options of the LPS-R functions (docs/schemes/lps.md): the documented option types, their key lists for
 * `checkedOptions`, and the parsers that turn an options record into a resolved record once, at the public boundary.
 * Internal functions take the resolved records and do not validate again.
 *
 * Errors: an unknown key or an option value out of range is a DomainError (DTypeError for `dtype`) naming
 * `options.<key>`, the allowed range and the value given.
 */
import { DomainError, describe } from '../../core/errors.js';
import { type DType, resolveDType } from '../../core/index.js';
import type { InitOptions } from '../entry.js';
import {
  booleanParam,
  checkedOptions,
  enumParam,
  nonNegativeIntParam,
  optionKeys,
  positiveIntParam,
  positiveParam,
  rangeParam,
} from '../support/options.js';

/** LPS-R mode: `'faithful'` (default, symmetric targets) or `'plus'` (LPS-R+, positive targets). */
export type LpsMode = 'faithful' | 'plus';

const LPS_MODES: readonly LpsMode[] = ['faithful', 'plus'];

/** Options shared by the LPS-R functions. */
export interface LpsOptions {
  /** `'faithful'` (default) or `'plus'` (LPS-R+). */
  readonly mode?: LpsMode;
  /** Upper bound on the number of anchors; default Infinity (faithful) or 256 (plus). */
  readonly kMax?: number;
  /** Target batch mean of z² after the per-layer rescale; default 1. */
  readonly q?: number;
  /** Relative residual threshold for accepting an anchor row; default 1e-8. */
  readonly anchorTol?: number;
  /** Storage type of the weights; default 'float32' (arithmetic is float64). */
  readonly dtype?: DType;
}

/** Geometry options of `lpsConv2d`. */
export interface LpsConv2dOptions extends LpsOptions {
  /** Stride (same for both axes, or [sh, sw]); default 1. */
  readonly stride?: number | readonly [number, number];
  /** Zero padding (same for both axes, or [ph, pw]); default 0. */
  readonly pad?: number | readonly [number, number];
  /** Use at most this many patches (random subset, without replacement); default 20000. */
  readonly maxPatches?: number;
}

/** Options of `lpsInitMLP`. */
export interface LpsMlpOptions extends LpsOptions {
  /**
   * Allow a batch with fewer rows than the square systems need (max over hidden layers of min(n_{l-1}+1, kMax)).
   * Default false: such a batch raises a ShapeError naming `batch`.
   */
  readonly allowSmallBatch?: boolean;
}

const LPS_KEYS_RECORD = { mode: true, kMax: true, q: true, anchorTol: true, dtype: true } as const;
/** Keys of `LpsOptions`. */
export const LPS_KEYS = optionKeys<LpsOptions>(LPS_KEYS_RECORD);
/** Keys of `LpsConv2dOptions`. */
export const LPS_CONV2D_KEYS = optionKeys<LpsConv2dOptions>({ ...LPS_KEYS_RECORD, stride: true, pad: true, maxPatches: true });
/** Keys of `LpsMlpOptions`. */
export const LPS_MLP_KEYS = optionKeys<LpsMlpOptions>({ ...LPS_KEYS_RECORD, allowSmallBatch: true });

/** `LpsOptions` with every default filled in and every value checked. */
export interface ResolvedLpsOptions {
  readonly mode: LpsMode;
  /**
   * Upper bound on the number of anchors, or `null` for "no bound other than min(n+1, B, rank)" (what
   * `kMax: Infinity` and the faithful default resolve to: the resolved record holds only finite numbers).
   */
  readonly kMax: number | null;
  readonly q: number;
  readonly anchorTol: number;
  readonly dtype: DType;
}

/** `LpsConv2dOptions`, resolved. */
export interface ResolvedLpsConv2dOptions extends ResolvedLpsOptions {
  readonly stride: readonly [number, number];
  readonly pad: readonly [number, number];
  readonly maxPatches: number;
}

/** `LpsMlpOptions`, resolved. */
export interface ResolvedLpsMlpOptions extends ResolvedLpsOptions {
  readonly allowSmallBatch: boolean;
}

/** `options.kMax`: a positive integer, or Infinity (no bound other than min(n+1, B, rank)), resolved to `null`. */
function kMaxParam(value: unknown, dflt: number | null): number | null {
  if (value === undefined) return dflt;
  if (value === Infinity) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new DomainError(`options.kMax must be a positive integer or Infinity, got ${describe(value)}`);
  }
  return value;
}

/** The `LpsOptions` fields of a record that has passed `checkedOptions`. */
function lpsFields(o: InitOptions): ResolvedLpsOptions {
  const mode = enumParam('options.mode', o['mode'], LPS_MODES, 'faithful');
  return {
    mode,
    kMax: kMaxParam(o['kMax'], mode === 'plus' ? 256 : null),
    q: positiveParam('options.q', o['q'], 1),
    anchorTol: rangeParam('options.anchorTol', o['anchorTol'], 0, 1, { dflt: 1e-8, openLo: true, openHi: true }),
    dtype: resolveDType(o['dtype'], 'options.dtype'),
  };
}

/** `options.<key>`: one integer ≥ `min`, or a pair [vertical, horizontal] of them. */
function intPairParam(key: string, value: unknown, dflt: number, min: 0 | 1): [number, number] {
  const name = `options.${key}`;
  const one = (n: string, v: unknown): number => (min === 1 ? positiveIntParam(n, v) : nonNegativeIntParam(n, v));
  if (value === undefined) return [dflt, dflt];
  if (typeof value === 'number') {
    const v = one(name, value);
    return [v, v];
  }
  if (!Array.isArray(value) || value.length !== 2) {
    throw new DomainError(`${name} must be an integer >= ${min} or a pair of them, got ${describe(value)}`);
  }
  return [one(`${name}[0]`, value[0]), one(`${name}[1]`, value[1])];
}

/** Parse the options of `lpsDense` (`fn` names the caller in the unknown-key message). */
export function parseLpsOptions(options: LpsOptions | undefined, fn = 'lpsDense'): ResolvedLpsOptions {
  return lpsFields(checkedOptions(fn, options, LPS_KEYS));
}

/** Parse the options of `lpsConv2d`. */
export function parseLpsConv2dOptions(options: LpsConv2dOptions | undefined, fn = 'lpsConv2d'): ResolvedLpsConv2dOptions {
  const o = checkedOptions(fn, options, LPS_CONV2D_KEYS);
  return {
    ...lpsFields(o),
    stride: intPairParam('stride', o['stride'], 1, 1),
    pad: intPairParam('pad', o['pad'], 0, 0),
    maxPatches: positiveIntParam('options.maxPatches', o['maxPatches'], 20000),
  };
}

/** The `LpsMlpOptions` fields of a record that has passed `checkedOptions`. */
function lpsMlpFields(o: InitOptions): ResolvedLpsMlpOptions {
  return { ...lpsFields(o), allowSmallBatch: booleanParam('options.allowSmallBatch', o['allowSmallBatch'], false) };
}

/** Parse the options of `lpsInitMLP`. */
export function parseLpsMlpOptions(options: LpsMlpOptions | undefined, fn = 'lpsInitMLP'): ResolvedLpsMlpOptions {
  return lpsMlpFields(checkedOptions(fn, options, LPS_MLP_KEYS));
}

/** What the LPS registry entries read: the keys of `LpsMlpOptions`. */
export const LPS_ENTRY_KEYS: readonly string[] = LPS_MLP_KEYS;

/**
 * Parse the options of the registry entry `name` (`lps_r`, `lps_r_plus`), whose mode is fixed: `options.mode` is
 * accepted only when it equals `mode` (a DomainError otherwise); the mode-dependent defaults (kMax) follow `mode`.
 */
export function parseLpsEntryOptions(name: string, mode: LpsMode, options: InitOptions | undefined): ResolvedLpsMlpOptions {
  const o = checkedOptions(name, options, LPS_ENTRY_KEYS);
  if (o['mode'] !== undefined && o['mode'] !== mode) {
    throw new DomainError(`options.mode is fixed by the entry (${name}: ${describe(mode)}); got ${describe(o['mode'])}`);
  }
  return lpsMlpFields({ ...o, mode });
}
