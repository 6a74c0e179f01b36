// Test-only helpers shared by init-path*, init-pathcond*, init-enorm* tests (no production code imports this).
// Everything here is written independently of src/init/pathlift/ (plain definitions).
import fc from 'fast-check';
import type { DenseLayer } from '../../src/init/support/mlp.js';
import { createRng, type RandomSource } from '../../src/init/support/rng.js';

export interface NetSpec {
  widths: number[];
  hiddenBias: boolean;
  outputBias: boolean;
  seed: number;
  /** log10 of per-layer scale multipliers (unbalanced nets). */
  logScales: number[];
}

/** fast-check arbitrary of small architectures (depth = number of layers). */
export function netSpecArb(opts: { minWidth?: number; maxWidth: number; minDepth: number; maxDepth: number; maxLogScale?: number }): fc.Arbitrary<NetSpec> {
  const mls = opts.maxLogScale ?? 1;
  return fc.integer({ min: opts.minDepth, max: opts.maxDepth }).chain((L) =>
    fc.record({
      widths: fc.array(fc.integer({ min: opts.minWidth ?? 1, max: opts.maxWidth }), { minLength: L + 1, maxLength: L + 1 }),
      hiddenBias: fc.boolean(),
      outputBias: fc.boolean(),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      logScales: fc.array(fc.double({ min: -mls, max: mls, noNaN: true }), { minLength: L, maxLength: L }),
    }),
  );
}

/** Gaussian weights N(0, 1/fan_in)·10^{logScale_l}, Gaussian biases (std 0.5·scale) where present. */
export function buildNet(spec: NetSpec): DenseLayer[] {
  const rng = createRng(spec.seed);
  const L = spec.widths.length - 1;
  const layers: DenseLayer[] = [];
  for (let l = 0; l < L; l++) {
    const nin = spec.widths[l]!;
    const out = spec.widths[l + 1]!;
    const sc = Math.pow(10, spec.logScales[l] ?? 0);
    const W = new Float64Array(out * nin);
    for (let i = 0; i < W.length; i++) W[i] = (sc * rng.nextNormal()) / Math.sqrt(nin);
    const hasB = l < L - 1 ? spec.hiddenBias : spec.outputBias;
    if (hasB) {
      const b = new Float64Array(out);
      for (let i = 0; i < out; i++) b[i] = 0.5 * sc * rng.nextNormal();
      layers.push({ W, b, shape: [out, nin] });
    } else layers.push({ W, shape: [out, nin] });
  }
  return layers;
}

/** Independent forward pass; also returns the "absolute" forward (|W|, |b|, |x|) as a rounding-error scale. */
export function forwardRef(net: readonly DenseLayer[], x: ArrayLike<number>): { f: number[]; scale: number[] } {
  let h = Array.from(x);
  let ha = h.map(Math.abs);
  net.forEach((layer, l) => {
    const nh: number[] = [];
    const na: number[] = [];
    for (let j = 0; j < layer.shape[0]; j++) {
      let s = layer.b ? layer.b[j]! : 0;
      let sa = layer.b ? Math.abs(layer.b[j]!) : 0;
      for (let i = 0; i < layer.shape[1]; i++) {
        s += layer.W[j * layer.shape[1] + i]! * h[i]!;
        sa += Math.abs(layer.W[j * layer.shape[1] + i]!) * ha[i]!;
      }
      const hidden = l < net.length - 1;
      nh.push(hidden ? Math.max(0, s) : s);
      na.push(sa);
    }
    h = nh;
    ha = na;
  });
  return { f: h, scale: ha };
}

/** Max over random inputs of |f'(x) − f(x)| / (|f(x)| + absScale(x)). */
export function maxFunctionGap(a: readonly DenseLayer[], b: readonly DenseLayer[], rng: RandomSource, nInputs: number): number {
  let worst = 0;
  for (let t = 0; t < nInputs; t++) {
    const x = Array.from({ length: a[0]!.shape[1] }, () => 2 * rng.nextNormal());
    const fa = forwardRef(a, x);
    const fb = forwardRef(b, x);
    for (let k = 0; k < fa.f.length; k++) {
      const d = Math.abs(fa.f[k]! - fb.f[k]!) / (Math.abs(fa.f[k]!) + fa.scale[k]! + 1e-300);
      worst = Math.max(worst, d);
    }
  }
  return worst;
}

/** Flat parameter offsets (PyTorch order): offW[l], offB[l] (−1 when absent). */
export function paramOffsets(net: readonly DenseLayer[]): { offW: number[]; offB: number[]; p: number } {
  const offW: number[] = [];
  const offB: number[] = [];
  let p = 0;
  for (const layer of net) {
    offW.push(p);
    p += layer.shape[0] * layer.shape[1];
    if (layer.b) {
      offB.push(p);
      p += layer.shape[0];
    } else offB.push(-1);
  }
  return { offW, offB, p };
}

export function flatParams(net: readonly DenseLayer[]): Float64Array {
  const { offW, offB, p } = paramOffsets(net);
  const t = new Float64Array(p);
  net.forEach((layer, l) => {
    t.set(layer.W, offW[l]!);
    if (layer.b) t.set(layer.b, offB[l]!);
  });
  return t;
}

/**
 * Paths of a layered MLP as lists of flat parameter indices (input paths first, then bias paths by ascending
 * start layer, each group lexicographic), with the input coordinate of input paths (−1 for bias paths) and the
 * hidden neurons [layer, index] crossed (the bias-start neuron included).
 */
export function pathsByIndex(net: readonly DenseLayer[]): { params: number[]; input: number; hidden: [number, number][]; outK: number }[] {
  const { offW, offB } = paramOffsets(net);
  const L = net.length;
  const res: { params: number[]; input: number; hidden: [number, number][]; outK: number }[] = [];
  const walk = (l: number, prev: number, params: number[], hidden: [number, number][], input: number): void => {
    // enter layer l (0-based) from neuron `prev` of its input side
    if (l === L) {
      res.push({ params: params.slice(), input, hidden: hidden.slice(), outK: prev });
      return;
    }
    const layer = net[l]!;
    for (let j = 0; j < layer.shape[0]; j++) {
      params.push(offW[l]! + j * layer.shape[1] + prev);
      if (l < L - 1) hidden.push([l, j]);
      walk(l + 1, j, params, hidden, input);
      if (l < L - 1) hidden.pop();
      params.pop();
    }
  };
  for (let i = 0; i < net[0]!.shape[1]; i++) walk(0, i, [], [], i);
  for (let s = 0; s < L; s++) {
    const layer = net[s]!;
    if (!layer.b) continue;
    for (let j = 0; j < layer.shape[0]; j++) {
      const hidden: [number, number][] = s < L - 1 ? [[s, j]] : [];
      walk(s + 1, j, [offB[s]! + j], hidden, -1);
    }
  }
  return res;
}

/** Relative comparison helper. */
export function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
}

/** Tiny architectures (widths ≤ 4, 1–4 layers): explicit enumeration of Φ is cheap. */
export const tinyNets = netSpecArb({ maxWidth: 4, minDepth: 1, maxDepth: 4 });
/** Small unbalanced architectures (widths ≤ 8, 2–5 layers, per-layer scales 10^±1.5). */
export const smallNets = netSpecArb({ maxWidth: 8, minDepth: 2, maxDepth: 5, maxLogScale: 1.5 });

/** Random positive per-hidden-neuron scales λ = exp(σ·N(0, 1)), one array per hidden layer. */
export function randomLambda(net: readonly DenseLayer[], seed: number, sigma = 1.5): Float64Array[] {
  const rng = createRng(seed);
  return net.slice(0, -1).map((layer) => Float64Array.from({ length: layer.shape[0] }, () => Math.exp(sigma * rng.nextNormal())));
}
