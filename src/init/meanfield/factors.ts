/**
 * The unchecked forward factors of the mean-field nets (network.ts), for callers that parsed widths, layers and γ's
 * once at their public boundary (the registry entry, the scaled-layer helpers). Not re-exported: the public
 * `meanFieldFactor` and `scaledLayers` check their arguments, then call these.
 */
import type { LayerTensors } from '../entry.js';

/** The forward factor of layer l's input sum: 1 for l = 0 (input), N_l^{−γ_l} otherwise. */
export function factorOf(widths: readonly number[], gammas: readonly number[], l: number): number {
  return l === 0 ? 1 : Math.pow(widths[l]!, -gammas[l - 1]!);
}

/** The layers with their factors attached as `scale` (no copy of the weights). */
export function scaleLayers(widths: readonly number[], layers: readonly LayerTensors[], gammas: readonly number[]): LayerTensors[] {
  return layers.map((layer, l) => {
    const c = factorOf(widths, gammas, l);
    return c === 1 ? layer : { ...layer, scale: c };
  });
}

/**
 * Folded: same function at init, different training dynamics. Float64 copies of the layers with layer l's weights
 * multiplied by its factor N_l^{−γ_l} (biases unchanged, no `scale`), so a plain MLP with the same activation computes
 * the mean-field net. Training differs [I, chain rule]: for W' = c·W, ∇_{W'} = ∇_W / c, so SGD on W' with rate α'
 * moves the function like rate α'/c² on W; the mean-field rates need the weight rate α·c² (bias rate α unchanged).
 */
export function foldLayers(widths: readonly number[], layers: readonly LayerTensors[], gammas: readonly number[]): LayerTensors[] {
  return layers.map((layer, l): LayerTensors => {
    const c = factorOf(widths, gammas, l);
    const W = Float64Array.from(layer.W, (w) => c * w);
    return layer.b ? { W, b: Float64Array.from(layer.b), shape: [...layer.shape] } : { W, shape: [...layer.shape] };
  });
}
