/** Drawing the weights of a mean-field 1/N^γ network as the authors' code does (docs/schemes/meanfield.md). */
import { allocate, resolveDType, type DType } from '../../core/index.js';
import type { LayerTensors } from '../entry.js';
import { checkedOptions, enumParam, optionKeys } from '../support/options.js';
import { checkRng, createStream, deriveSeed, type RandomSource } from '../support/rng.js';
import { fillNormal, fillUniform } from '../support/sampling.js';
import { checkMeanFieldWidths, type MeanFieldBias, type MeanFieldOutputInit, type MeanFieldParams } from './network.js';

/** Options of `meanFieldInit`. */
export interface MeanFieldInitOptions {
  /** C distribution; default `'authors-code'` (U(0, 1)). */
  readonly outputInit?: MeanFieldOutputInit;
  /** Biases; default `'none'` (the theory's form). */
  readonly bias?: MeanFieldBias;
  /** Storage type; default `'float32'` (arithmetic is float64 regardless). */
  readonly dtype?: DType;
}
const INIT_KEYS = optionKeys<MeanFieldInitOptions>({ outputInit: true, bias: true, dtype: true });

/**
 * Initialization of the authors' code [V-code]: hidden weights W^ℓ i.i.d. N(0, 1) whatever the fan-in; output
 * weights C i.i.d. U(0, 1) (`outputInit: 'authors-code'`) or U(−1, 1) (`'centered'`, [I]); biases per `bias`.
 * Draws: W^{l+1} (l = 0 … L−1) from stream l and C from stream L of `deriveSeed(rng)`, biases from streams L+1+l,
 * in row-major order, so changing the bias option never changes the weights. Same seed ⇒ bit-identical params.
 */
export function meanFieldInit(widths: readonly number[], rng: RandomSource, options: MeanFieldInitOptions = {}): MeanFieldParams {
  const o = checkedOptions('meanFieldInit', options, INIT_KEYS);
  const w = checkMeanFieldWidths(widths);
  const outputInit = enumParam<MeanFieldOutputInit>('options.outputInit', o['outputInit'], ['authors-code', 'centered'], 'authors-code');
  const bias = enumParam<MeanFieldBias>('options.bias', o['bias'], ['none', 'torch-default', 'zeros'], 'none');
  const dtype = resolveDType(o['dtype'], 'options.dtype');
  checkRng(rng);
  const L = w.length - 2;
  const master = deriveSeed(rng);
  const layers: LayerTensors[] = [];
  for (let l = 0; l <= L; l++) {
    const out = w[l + 1]!;
    const nin = w[l]!;
    const W = allocate(out * nin, dtype);
    const s = createStream(master, l);
    if (l < L) fillNormal(W, s, 0, 1);
    else if (outputInit === 'authors-code') fillUniform(W, s, 0, 1);
    else fillUniform(W, s, -1, 1);
    if (bias === 'none') {
      layers.push({ W, shape: [out, nin] });
      continue;
    }
    const b = allocate(out, dtype);
    if (bias === 'torch-default') {
      const k = 1 / Math.sqrt(nin);
      fillUniform(b, createStream(master, L + 1 + l), -k, k);
    }
    layers.push({ W, b, shape: [out, nin] });
  }
  return { widths: w, layers };
}
