/**
 * Registry entries (network kind) for the rescaling schemes of issue #5: PathCond after He init and ENorm after He
 * init (docs/schemes/pathlift.md). Both draw Kaiming-normal weights (PyTorch `kaiming_normal_`, untruncated
 * N(0, 2/fan_in)) for layer l from stream `createStream(deriveSeed(rng), l)` — exactly the draws of
 * `initializeNetwork('kaiming_normal', …)` — with zero biases (`options.bias = 'none'` drops them), then apply the
 * function-preserving rescaling. The layers have no forward `scale`.
 *
 * Calling convention: `init(shapes, rng, options, context)` with dense shapes `[[n_1, n_0], [n_2, n_1], …]`.
 * Options are typed (`PathCondAfterHeOptions`, `ENormAfterHeOptions`) and parsed once, before any draw, by
 * `parsePathCondAfterHeOptions` / `parseENormAfterHeOptions`: `bias`, `dtype` and the rescaling options of
 * `pathCondRescale` / `enormRescale`. Any other key is rejected (`PATHCOND_AFTER_HE_KEYS` / `ENORM_AFTER_HE_KEYS`).
 * This module must not import registry.ts (the registry imports it).
 */
import { type DType, resolveDType } from '../../core/index.js';
import type { Shape } from '../../core/index.js';
import type { InitializerEntry, InitOptions, LayerTensors } from '../entry.js';
import { kaimingNormal } from '../classic/variance.js';
import { mlpToLayerTensors, widthsFromShapes } from '../support/mlp.js';
import { checkedOptions, enumParam, optionKeys } from '../support/options.js';
import { checkRng, createStream, deriveSeed, type RandomSource } from '../support/rng.js';
import { type ENormOptions, type ResolvedENormOptions, enormFields, enormSolve } from './enorm.js';
import { type PathCondOptions, type ResolvedPathCondOptions, pathCondFields, pathCondSolve } from './pathcond.js';

/** Biases of the He network: `'zeros'` (default) or `'none'` (no bias vectors). */
export type HeBias = 'zeros' | 'none';

const HE_BIASES: readonly HeBias[] = ['zeros', 'none'];

/**
 * He (Kaiming-normal, N(0, 2/fan_in)) float64 MLP with zero biases (or none), layer l drawn from
 * `createStream(deriveSeed(rng), l)`. Throws ShapeError for shapes that are not a dense chain.
 */
export function heNormalMlp(shapes: readonly Shape[], rng: RandomSource, bias: HeBias = 'zeros'): LayerTensors[] {
  const widths = widthsFromShapes(shapes);
  checkRng(rng);
  const master = deriveSeed(rng);
  return widths.slice(1).map((out, l) => {
    const nin = widths[l]!;
    // kaimingNormal returns a fresh Float64Array for dtype 'float64': no copy needed.
    const W = kaimingNormal([out, nin], createStream(master, l), { dtype: 'float64' });
    return bias === 'zeros' ? { W, b: new Float64Array(out), shape: [out, nin] } : { W, shape: [out, nin] };
  });
}

/** Options of the `pathcond_after_he` entry: those of `pathCondRescale` except `recordUpdates`, plus bias and dtype. */
export interface PathCondAfterHeOptions extends Omit<PathCondOptions, 'recordUpdates'> {
  /** Biases of the He network; default 'zeros'. */
  readonly bias?: HeBias;
  /** Storage type of the result; default 'float32' (arithmetic is float64). */
  readonly dtype?: DType;
}

/** Options of the `enorm_after_he` entry: those of `enormRescale`, plus bias and dtype. */
export interface ENormAfterHeOptions extends ENormOptions {
  /** Biases of the He network; default 'zeros'. */
  readonly bias?: HeBias;
  /** Storage type of the result; default 'float32' (arithmetic is float64). */
  readonly dtype?: DType;
}

/** What each entry reads: its own `bias`, `dtype`, and the rescaling options (not `recordUpdates`). */
export const PATHCOND_AFTER_HE_KEYS = optionKeys<PathCondAfterHeOptions>({ maxSweeps: true, tol: true, eps: true, zClamp: true, bias: true, dtype: true });
export const ENORM_AFTER_HE_KEYS = optionKeys<ENormAfterHeOptions>({ cycles: true, asymmetry: true, tol: true, variant: true, bias: true, dtype: true });

/** Parsed options of `pathcond_after_he`. */
export interface ParsedPathCondAfterHe {
  readonly bias: HeBias;
  readonly dtype: DType;
  readonly pathcond: ResolvedPathCondOptions;
}

/** Parsed options of `enorm_after_he`. */
export interface ParsedENormAfterHe {
  readonly bias: HeBias;
  readonly dtype: DType;
  readonly enorm: ResolvedENormOptions;
}

function heFields(o: InitOptions): { bias: HeBias; dtype: DType } {
  return { bias: enumParam('options.bias', o['bias'], HE_BIASES, 'zeros'), dtype: resolveDType(o['dtype'], 'options.dtype') };
}

/** Parse the options of `pathcond_after_he` once: unknown keys and values out of range are DomainErrors naming the key. */
export function parsePathCondAfterHeOptions(options: InitOptions | undefined): ParsedPathCondAfterHe {
  const o = checkedOptions('pathcond_after_he', options, PATHCOND_AFTER_HE_KEYS);
  return { ...heFields(o), pathcond: pathCondFields(o) };
}

/** Parse the options of `enorm_after_he` once: unknown keys and values out of range are DomainErrors naming the key. */
export function parseENormAfterHeOptions(options: InitOptions | undefined): ParsedENormAfterHe {
  const o = checkedOptions('enorm_after_he', options, ENORM_AFTER_HE_KEYS);
  return { ...heFields(o), enorm: enormFields(o) };
}

export const PATHLIFT_ENTRIES: readonly InitializerEntry[] = [
  {
    kind: 'network',
    name: 'pathcond_after_he',
    aliases: ['pathcond-after-he'],
    description:
      "Kaiming-normal init (zero biases) followed by PathCond rescaling, with the PathCond objective as implemented in the authors' code " +
      '(function-preserving; options: maxSweeps = 10, tol = 1e-2, eps, zClamp, bias, dtype)',
    source: 'Lebeurrier, Vayer & Gribonval, arXiv:2602.19799 (ICML 2026); code Artim436/pathcond',
    provenance: 'authors-code',
    init: (shapes, rng, options) => {
      const o = parsePathCondAfterHeOptions(options);
      const he = heNormalMlp(shapes, rng, o.bias); // finite plain layers: nothing for pathCondRescale to re-check
      return mlpToLayerTensors(pathCondSolve(he, o.pathcond).mlp, o.dtype);
    },
  },
  {
    kind: 'network',
    name: 'enorm_after_he',
    aliases: ['enorm-after-he'],
    description:
      "Kaiming-normal init (zero biases) followed by ENorm (Stock et al. 2019); default variant 'function-preserving' (bias-aware, derived), " +
      "options.variant = 'reference-code' for the reference-code-compatible variant (biases ignored); options: cycles = 1, asymmetry = 1, tol, bias, dtype",
    source: 'Stock, Graham, Gribonval & Jégou, ICLR 2019, arXiv:1902.10416; code facebookresearch/enorm',
    provenance: 'derived',
    init: (shapes, rng, options) => {
      const o = parseENormAfterHeOptions(options);
      const he = heNormalMlp(shapes, rng, o.bias); // finite plain layers: nothing for enormRescale to re-check
      return mlpToLayerTensors(enormSolve(he, o.enorm).mlp, o.dtype);
    },
  },
];
