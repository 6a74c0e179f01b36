/**
 * Valid-argument generators of the robustness suite: what "finite, in-range input" means.
 *
 * An argument is in range when it comes from one of these generators. Each stays inside the documented domain of
 * the parameter it feeds and away from its edges where the exact result is itself infinite (a pole of lgamma, a
 * division by zero, log of 0), so a NaN or ±Infinity in a result is a bug, not mathematics:
 * - scalars: reals in [-10, 10], positive reals in [0.01, 10], probabilities in [0.05, 0.95], integers in [0, 8];
 * - shapes: dimensions in [1, 6], weight shapes [out, in] (sometimes conv-like [out, in, k, k]);
 * - networks: chains of 1 to 4 dense layers of width 1..8 drawn with heNormalMlp (finite weights, zero biases);
 * - tensors: float32 or float64, rank 1 or 2, dimensions in [1, 5], values in [-3, 3];
 * - random sources: createRng(seed) for a seed in [0, 2^32).
 * Sizes keep every call far below a megabyte, and magnitudes keep float overflow out of reach (exp(3) at most),
 * so no exception for "plain float overflow from in-range input" is needed.
 */
import fc from 'fast-check';
import ndarray from 'ndarray';
import { createRng, heNormalMlp, meanFieldInit, mlpOps, scalingReport, type LayerTensors } from '../../src/init/index.js';
import { tensor, type Tensor } from '../../src/tensor/index.js';

export const real = fc.double({ min: -10, max: 10, noNaN: true });
export const pos = fc.double({ min: 0.01, max: 10, noNaN: true });
export const prob = fc.double({ min: 0.05, max: 0.95, noNaN: true });
export const nat = fc.integer({ min: 0, max: 8 });
export const posInt = fc.integer({ min: 1, max: 8 });
export const dim = fc.integer({ min: 1, max: 6 });
export const seed = fc.oneof(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));
export const rng = fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((s) => createRng(s));
export const name = fc.constantFrom('x', 'options.scale');
export const dtype = fc.constantFrom('float32', 'float64');
export const dtypeOpt = fc.constantFrom(undefined, {}, { dtype: 'float32' }, { dtype: 'float64' });
export const noOpts = fc.constantFrom(undefined, {});
export const bool = fc.boolean();

export const shape = fc.array(dim, { minLength: 1, maxLength: 3 });
/** A weight shape [out, in], sometimes a conv kernel [out, in, k, k]. */
export const wshape = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(dim, dim).map((s) => [...s]) },
  { weight: 1, arbitrary: fc.tuple(dim, dim, fc.integer({ min: 1, max: 3 })).map(([o, i, k]) => [o, i, k, k]) },
);
export const widths = fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 2, maxLength: 5 });
/** Layer shapes of a dense chain: [[w1, w0], [w2, w1], …]. */
export const shapesOf = (w: readonly number[]): number[][] => w.slice(1).map((o, l) => [o, w[l] as number]);
export const shapes = widths.map(shapesOf);

export const vec = (n: number, lo = -3, hi = 3): fc.Arbitrary<Float64Array> =>
  fc.array(fc.double({ min: lo, max: hi, noNaN: true }), { minLength: n, maxLength: n }).map((a) => Float64Array.from(a));
export const anyVec = fc.integer({ min: 1, max: 16 }).chain((n) => vec(n));

/** A network with its widths: heNormalMlp layers (float64, zero biases). */
export const net = fc.tuple(widths, fc.integer({ min: 0, max: 1000 })).map(([w, s]) => ({ widths: w, mlp: heNormalMlp(shapesOf(w), createRng(s)) as LayerTensors[] }));
/** A network with at least one hidden layer (what neuron rescalings act on). */
export const deepNet = fc.tuple(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 3, maxLength: 5 }), fc.integer({ min: 0, max: 1000 }))
  .map(([w, s]) => ({ widths: w, mlp: heNormalMlp(shapesOf(w), createRng(s)) as LayerTensors[] }));
/** Per-hidden-neuron values for a network of `w`: one array per hidden layer. */
export const scalesFor = (w: readonly number[], lo: number, hi: number): fc.Arbitrary<Float64Array[]> =>
  fc.tuple(...w.slice(1, -1).map((n) => vec(n, lo, hi)));

/** A row-major batch of `cols` features. */
export const batchOf = (cols: number, minRows = 1): fc.Arbitrary<{ rows: number; cols: number; data: Float64Array }> =>
  fc.integer({ min: minRows, max: minRows + 5 }).chain((rows) => vec(rows * cols).map((data) => ({ rows, cols, data })));

/** γ per hidden layer, in [1/2, 1]. */
export const gammasFor = (L: number): fc.Arbitrary<number | number[]> =>
  fc.oneof(fc.double({ min: 0.5, max: 1, noNaN: true }), fc.array(fc.double({ min: 0.5, max: 1, noNaN: true }), { minLength: L, maxLength: L }));
/** A mean-field network [d, N_1, …, N_L, K] with its γ and params. */
export const meanField = fc.tuple(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 3, maxLength: 5 }), fc.integer({ min: 0, max: 1000 }))
  .chain(([w, s]) => gammasFor(w.length - 2).map((gammas) => ({ widths: w, gammas, params: meanFieldInit(w, createRng(s)) })));

export const activationSpec = fc.oneof(
  fc.constantFrom('linear', 'relu', 'leaky_relu', 'rrelu'),
  prob.map((a) => ({ kind: 'leaky_relu', a })),
);
export const momentOrder = fc.double({ min: 0.1, max: 2, noNaN: true });

/** MLP scaling ops from mlpOps and the report of them. */
export const opsAndReport = widths.map((w) => {
  const ops = mlpOps(w);
  return { widths: w, ops, report: scalingReport(ops, { inputShape: [w[0] as number] }) };
});

/** A tensor of `shape`, values in [lo, hi]. */
export const tensorOf = (shp: readonly number[], lo = -3, hi = 3, requiresGrad = false, dt?: 'float32' | 'float64'): fc.Arbitrary<Tensor> =>
  fc.tuple(vec(shp.reduce((a, b) => a * b, 1), lo, hi), dt === undefined ? dtype : fc.constant(dt)).map(([v, d]) => tensor(v, [...shp], { dtype: d, requiresGrad }));
export const tshape = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 2 });
export const anyTensor = tshape.chain((s) => tensorOf(s));
/** Two tensors of one shape. */
export const tensorPair = (lo = -3, hi = 3): fc.Arbitrary<[Tensor, Tensor]> =>
  fc.tuple(tshape, dtype).chain(([s, d]) => fc.tuple(tensorOf(s, -3, 3, false, d), tensorOf(s, lo, hi, false, d)));
export const nd = tshape.chain((s) => vec(s.reduce((a, b) => a * b, 1)).map((v) => ndarray(v, s)));
