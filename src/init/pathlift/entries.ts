/**
 * Registry entries (network kind) for the rescaling schemes of issue #5: PathCond after He init and ENorm after He
 * init. Both draw Kaiming-normal weights (PyTorch `kaiming_normal_`, untruncated N(0, 2/fan_in)) for layer l from
 * stream `createStream(deriveSeed(rng), l)` — exactly the draws of `initializeNetwork('kaiming_normal', …)` — with
 * zero biases (`options.bias = 'none'` drops them), then apply the function-preserving rescaling.
 *
 * Calling convention: `init(shapes, rng, options, context)` with dense shapes `[[n_1, n_0], [n_2, n_1], …]`.
 * Options are passed through to `pathCondRescale` / `enormRescale`; `options.dtype` selects the storage type and
 * `options.bias` the biases. Any other key is rejected (the accepted sets are `PATHCOND_AFTER_HE_KEYS` / `ENORM_AFTER_HE_KEYS`).
 * This module must not import registry.ts (the registry imports it).
 */
import { DomainError, describe } from '../../core/errors.js';
import { enormRescale, type ENormOptions } from './enorm.js';
import { type DenseLayer, mlpToLayerTensors, widthsFromShapes } from '../support/mlp.js';
import { checkedOptions } from '../support/options.js';
import { pathCondRescale, type PathCondOptions } from './pathcond.js';
import { createStream, deriveSeed, type RandomSource } from '../support/rng.js';
import type { Shape } from '../../core/index.js';
import type { InitializerEntry, InitOptions } from '../entry.js';
import { kaimingNormal } from '../classic/variance.js';

/** He (Kaiming-normal) float64 MLP with zero biases (or none), one stream per layer. */
export function heNormalMlp(shapes: readonly Shape[], rng: RandomSource, bias: 'zeros' | 'none' = 'zeros'): DenseLayer[] {
  const widths = widthsFromShapes(shapes);
  const master = deriveSeed(rng);
  return widths.slice(1).map((out, l) => {
    const nin = widths[l]!;
    const W = Float64Array.from(kaimingNormal([out, nin], createStream(master, l), { dtype: 'float64' }));
    return bias === 'zeros' ? { W, b: new Float64Array(out), shape: [out, nin] } : { W, shape: [out, nin] };
  });
}

function biasOption(options: InitOptions): 'zeros' | 'none' {
  const b = options['bias'] ?? 'zeros';
  if (b !== 'zeros' && b !== 'none') throw new DomainError(`options.bias must be "zeros" or "none", got ${describe(b)}`);
  return b;
}


/** The defined values of `keys` in `options`, forwarded as-is: the rescaling function validates them. */
function forward<T>(options: InitOptions, keys: readonly string[]): T {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (options[k] !== undefined) out[k] = options[k];
  return out as T;
}

/** What each entry reads: its own `bias`, `dtype`, and the rescaling options it forwards (not `recordUpdates`). */
export const PATHCOND_AFTER_HE_KEYS: readonly string[] = ['maxSweeps', 'tol', 'eps', 'zClamp', 'bias', 'dtype'];
export const ENORM_AFTER_HE_KEYS: readonly string[] = ['cycles', 'asymmetry', 'tol', 'variant', 'bias', 'dtype'];

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
    init: (shapes, rng, options0) => {
      const options = checkedOptions('pathcond_after_he', options0, PATHCOND_AFTER_HE_KEYS);
      const he = heNormalMlp(shapes, rng, biasOption(options));
      const r = pathCondRescale(he, forward<PathCondOptions>(options, ['maxSweeps', 'tol', 'eps', 'zClamp']));
      return mlpToLayerTensors(r.mlp, options['dtype']);
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
    init: (shapes, rng, options0) => {
      const options = checkedOptions('enorm_after_he', options0, ENORM_AFTER_HE_KEYS);
      const he = heNormalMlp(shapes, rng, biasOption(options));
      const r = enormRescale(he, forward<ENormOptions>(options, ['cycles', 'asymmetry', 'tol', 'variant']));
      return mlpToLayerTensors(r.mlp, options['dtype']);
    },
  },
];
