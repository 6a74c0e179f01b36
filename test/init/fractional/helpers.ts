// Fractional moment-preserving init: shared fixtures of the tests (Gürbüzbalaban & Hu), docs/schemes/fractional.md; property numbers and tables
// follow the scheme's spec (§2–§6). "fractional-moment σ_s for RReLU / leaky ReLU (derived; the paper's exact
// statement is unverified)". Reference tables of the spec are test fixtures (derived there), not paper results.
import type { FractionalActivationSpec } from '../../../src/init/fractional/index.js';
import { resolveActivation } from '../../../src/init/fractional/index.js';
import type { RandomSource } from '../../../src/init/support/rng.js';

export const FC = { seed: 2005, numRuns: 40 } as const;
export const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

export const LIN: FractionalActivationSpec = 'linear';
export const RELU: FractionalActivationSpec = 'relu';
export const L001: FractionalActivationSpec = { kind: 'leaky_relu', a: 0.01 };
export const L03: FractionalActivationSpec = { kind: 'leaky_relu', a: 0.3 };
export const RR: FractionalActivationSpec = { kind: 'rrelu', l: 1 / 8, u: 1 / 3 };
export const ALL: [string, FractionalActivationSpec][] = [
  ['linear', LIN],
  ['relu', RELU],
  ['leaky 0.01', L001],
  ['leaky 0.3', L03],
  ['rrelu 1/8–1/3', RR],
];

/** One draw of Z = Σ c_i g_i² for the activation (direct: n Gaussians, a slope per neuron for RReLU). */
export function drawZ(act: FractionalActivationSpec, n: number, rng: RandomSource): number {
  const r = resolveActivation(act);
  let z = 0;
  for (let i = 0; i < n; i++) {
    const g = rng.nextNormal();
    if (g > 0) z += g * g;
    else {
      const a = r.kind === 'rrelu' ? r.a + (r.u - r.a) * rng.nextFloat64() : r.kind === 'linear' ? 1 : r.a;
      z += a * a * g * g;
    }
  }
  return z;
}

/** Mean and standard error of a sample. */
export const meanSe = (x: number[]): { mean: number; se: number } => {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  const v = x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1);
  return { mean: m, se: Math.sqrt(v / x.length) };
};
