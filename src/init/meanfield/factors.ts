/**
 * The unchecked forward factors of the mean-field nets (network.ts), for callers that parsed widths, layers and γ's
 * once at their public boundary (the forward, gradient and SGD functions, the registry entry). Not re-exported: the
 * public `meanFieldFactor` and `scaledLayers` check their arguments, then call these.
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
