/**
 * LPS-R: a **reconstruction** of the LPS (linear product structure) initialization of Chen, Hao & He,
 * "A weight initialization based on the linear product structure for neural networks", arXiv:2109.00125,
 * Applied Mathematics and Computation 415 (2022) 126722.
 *
 * The paper's method section, equations and experiments were NOT available to the spec writers; the algorithm
 * below (anchors, targets, rescale, output layer) is the reconstruction of spec/lps_initialization.md §4, tagged
 * [R] there. It is not "the LPS method of Chen, Hao & He"; call it "LPS-R (reconstruction)".
 *
 * Idea (reconstruction): layer by layer, from the input to the last hidden layer, propagate a data batch through
 * the layers already set up, pick k anchor samples, and solve for all neurons at once the linear system
 *
 *     w_j · a(x_s) + b_j = t_{s,j}   for every anchor s            (★)
 *
 * with random right-hand sides t (minimum-norm solution), then multiply the whole layer by one positive c so that
 * the batch mean of z² equals q. A positive scale keeps every anchor sign, so each neuron is active on about half
 * of its anchors (faithful mode) or on all of them (LPS-R+). The output layer is He-normal with zero bias
 * (a choice of the spec; the paper's choice is unknown).
 *
 * | mode              | anchors k                        | targets t       | null-space term                    |
 * |-------------------|----------------------------------|-----------------|------------------------------------|
 * | 'faithful'        | min(n+1, B, rank)                | N(0, 1)         | none (minimum norm)                |
 * | 'plus' (LPS-R+)   | min(n+1, B, rank, kMax = 256)    | U(0.1, 1.0)     | N(0, 2/n) projected on null(A_S)   |
 *
 * Numerics: anchors are chosen in random order by Gram–Schmidt with re-orthogonalisation (a row is kept when its
 * residual exceeds `anchorTol`·‖row‖, default 1e-8), which yields A_S = R·Q with Q orthonormal rows and R lower
 * triangular; the minimum-norm solution is Θ = Qᵀ R⁻¹ T (equivalent to a QR of A_Sᵀ; no normal equations).
 * All arithmetic is float64; storage is float32 unless `dtype: 'float64'`.
 *
 * Draw order (part of the reproducibility contract), per layer and from that layer's generator:
 * (conv only: patch subsampling by partial Fisher–Yates), anchor order by partial Fisher–Yates (one `nextInt` per
 * candidate examined), targets k×m row-major, then (LPS-R+ with k < n+1 only) the null-space Gaussian (n+1)×m
 * row-major. {@link lpsInitMLP} gives layer l its own stream `createStream(deriveSeed(rng), l)`.
 *
 * The result is data-dependent: it depends on the seed, the batch contents and the batch order.
 */
import { DomainError, NonFiniteError, ShapeError, describe } from '../../core/errors.js';
import { type Batch, type DenseLayer, denseForwardRows } from '../support/mlp.js';
import { checkedOptions, optionKeys } from '../support/options.js';
import { createStream, deriveSeed, type RandomSource } from '../support/rng.js';

/** LPS-R mode: `'faithful'` (default, symmetric targets) or `'plus'` (LPS-R+, positive targets). */
export type LpsMode = 'faithful' | 'plus';

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
  readonly dtype?: 'float32' | 'float64';
}

/** Result of {@link lpsDense} (and per layer of {@link lpsInitMLP}). */
export interface LpsDenseResult {
  /** Weights `[fanOut, fanIn]` row-major. */
  readonly W: Float32Array | Float64Array;
  /** Bias, length fanOut. */
  readonly b: Float32Array | Float64Array;
  /** Anchor row indices into the feature batch, in acceptance order. */
  readonly anchors: number[];
  /** Scaled targets c·T, k × fanOut row-major: the pre-activations at the anchors. */
  readonly targets: Float64Array;
  /** The positive per-layer scale c. */
  readonly scale: number;
  /** Number of anchors k. */
  readonly k: number;
  /** Fan-in n of the layer. */
  readonly fanIn: number;
  /** Fan-out m of the layer. */
  readonly fanOut: number;
}

const LPS_KEYS_RECORD = { mode: true, kMax: true, q: true, anchorTol: true, dtype: true } as const;
/** Keys of `LpsOptions`. */
export const LPS_KEYS = optionKeys<LpsOptions>(LPS_KEYS_RECORD);

interface ResolvedOptions {
  mode: LpsMode;
  kMax: number;
  q: number;
  anchorTol: number;
  dtype: 'float32' | 'float64';
}

/** `o` has passed `checkedOptions` in the public function. */
function resolveOptions(o: LpsOptions): ResolvedOptions {
  const mode = o.mode ?? 'faithful';
  if (mode !== 'faithful' && mode !== 'plus') throw new DomainError(`options.mode must be "faithful" or "plus", got ${describe(mode)}`);
  const kMax = o.kMax ?? (mode === 'plus' ? 256 : Infinity);
  if (typeof kMax !== 'number' || !(kMax === Infinity || (Number.isInteger(kMax) && kMax >= 1))) {
    throw new DomainError(`options.kMax must be a positive integer or Infinity, got ${describe(kMax)}`);
  }
  const q = o.q ?? 1;
  if (typeof q !== 'number' || !Number.isFinite(q) || q <= 0) throw new DomainError(`options.q must be a finite number > 0, got ${describe(q)}`);
  const anchorTol = o.anchorTol ?? 1e-8;
  if (typeof anchorTol !== 'number' || !Number.isFinite(anchorTol) || anchorTol <= 0 || anchorTol >= 1) {
    throw new DomainError(`options.anchorTol must be in (0, 1), got ${describe(anchorTol)}`);
  }
  const dtype = o.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') throw new DomainError(`options.dtype must be "float32" or "float64", got ${describe(dtype)}`);
  return { mode, kMax, q, anchorTol, dtype };
}

function checkBatch(batch: unknown, name: string): Batch {
  if (typeof batch !== 'object' || batch === null) throw new ShapeError(`${name} must be a batch {rows, cols, data}, got ${describe(batch)}`);
  const { rows, cols, data } = batch as { rows: unknown; cols: unknown; data: unknown };
  if (typeof rows !== 'number' || !Number.isInteger(rows) || rows < 1) {
    throw new ShapeError(`${name} must contain at least one sample (${name}.rows >= 1), got rows = ${describe(rows)}`);
  }
  if (typeof cols !== 'number' || !Number.isInteger(cols) || cols < 1) {
    throw new ShapeError(`${name}.cols must be a positive integer, got ${describe(cols)}`);
  }
  if (typeof data !== 'object' || data === null || typeof (data as ArrayLike<number>).length !== 'number') {
    throw new ShapeError(`${name}.data must be an array-like of numbers, got ${describe(data)}`);
  }
  const d = data as ArrayLike<number>;
  if (d.length !== rows * cols) throw new ShapeError(`${name}.data must have rows·cols = ${rows}·${cols} = ${rows * cols} entries, got ${d.length}`);
  for (let k = 0; k < d.length; k++) {
    const x = d[k];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new NonFiniteError(`${name}.data[${Math.floor(k / cols)}, ${k % cols}] must be finite, got ${describe(x)}`);
    }
  }
  return { rows, cols, data: d };
}

function checkPosInt(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ShapeError(`${name} must be a positive integer, got ${describe(v)}`);
  return v;
}

/** Dense LPS-R core on a validated float64 feature matrix. */
function lpsDenseCore(A: Batch, m: number, rng: RandomSource, o: ResolvedOptions): LpsDenseResult {
  const B = A.rows;
  const n = A.cols;
  const n1 = n + 1;
  const data = A.data;
  const kWant = Math.min(n1, B, o.kMax);

  // --- anchor selection: random order (partial Fisher–Yates), Gram–Schmidt with re-orthogonalisation
  const perm = new Int32Array(B);
  for (let i = 0; i < B; i++) perm[i] = i;
  const Q: Float64Array[] = []; // orthonormal rows, length n+1
  const R: Float64Array[] = []; // R[s][t], t ≤ s: row s of A_S = Σ_t R[s][t]·Q[t]
  const anchors: number[] = [];
  const row = new Float64Array(n1);
  for (let t = 0; t < B && Q.length < kWant; t++) {
    const pick = t + rng.nextInt(B - t);
    const tmp = perm[t]!;
    perm[t] = perm[pick]!;
    perm[pick] = tmp;
    const s = perm[t]!;
    let norm0 = 1; // the ones column
    for (let i = 0; i < n; i++) {
      row[i] = data[s * n + i]!;
      norm0 += row[i]! * row[i]!;
    }
    row[n] = 1;
    norm0 = Math.sqrt(norm0);
    const k = Q.length;
    const coef = new Float64Array(k + 1);
    for (let pass = 0; pass < 2; pass++) {
      for (let u = 0; u < k; u++) {
        const qu = Q[u]!;
        let d = 0;
        for (let i = 0; i < n1; i++) d += qu[i]! * row[i]!;
        coef[u] += d;
        for (let i = 0; i < n1; i++) row[i] -= d * qu[i]!;
      }
    }
    let rn = 0;
    for (let i = 0; i < n1; i++) rn += row[i]! * row[i]!;
    rn = Math.sqrt(rn);
    if (rn > o.anchorTol * norm0) {
      const qk = new Float64Array(n1);
      for (let i = 0; i < n1; i++) qk[i] = row[i]! / rn;
      coef[k] = rn;
      Q.push(qk);
      R.push(coef);
      anchors.push(s);
    }
  }
  const k = Q.length;

  // --- targets
  const T = new Float64Array(k * m);
  if (o.mode === 'plus') for (let i = 0; i < T.length; i++) T[i] = 0.1 + 0.9 * rng.nextFloat64();
  else for (let i = 0; i < T.length; i++) T[i] = rng.nextNormal();

  // --- minimum-norm solution Θ = Qᵀ R⁻¹ T  ((n+1) × m)
  const Y = new Float64Array(k * m);
  for (let s = 0; s < k; s++) {
    const Rs = R[s]!;
    for (let j = 0; j < m; j++) {
      let v = T[s * m + j]!;
      for (let t = 0; t < s; t++) v -= Rs[t]! * Y[t * m + j]!;
      Y[s * m + j] = v / Rs[s]!;
    }
  }
  const Theta = new Float64Array(n1 * m);
  for (let s = 0; s < k; s++) {
    const qs = Q[s]!;
    for (let i = 0; i < n1; i++) {
      const qi = qs[i]!;
      if (qi === 0) continue;
      for (let j = 0; j < m; j++) Theta[i * m + j] += qi * Y[s * m + j]!;
    }
  }
  // --- LPS-R+: random component in the null space of A_S
  if (o.mode === 'plus' && k < n1) {
    const std = Math.sqrt(2 / n);
    const G = new Float64Array(n1 * m);
    for (let i = 0; i < G.length; i++) G[i] = std * rng.nextNormal();
    for (let pass = 0; pass < 2; pass++) {
      for (let s = 0; s < k; s++) {
        const qs = Q[s]!;
        for (let j = 0; j < m; j++) {
          let d = 0;
          for (let i = 0; i < n1; i++) d += qs[i]! * G[i * m + j]!;
          for (let i = 0; i < n1; i++) G[i * m + j] -= d * qs[i]!;
        }
      }
    }
    for (let i = 0; i < Theta.length; i++) Theta[i] += G[i]!;
  }

  // --- per-layer positive rescale to mean z² = q over the batch
  let sumSq = 0;
  for (let r = 0; r < B; r++) {
    for (let j = 0; j < m; j++) {
      let zz = Theta[n * m + j]!;
      for (let i = 0; i < n; i++) zz += data[r * n + i]! * Theta[i * m + j]!;
      sumSq += zz * zz;
    }
  }
  const meanSq = sumSq / (B * m);
  const c = meanSq > 0 && Number.isFinite(meanSq) ? Math.sqrt(o.q / meanSq) : 1;
  const W = o.dtype === 'float64' ? new Float64Array(m * n) : new Float32Array(m * n);
  const b = o.dtype === 'float64' ? new Float64Array(m) : new Float32Array(m);
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < n; i++) W[j * n + i] = c * Theta[i * m + j]!;
    b[j] = c * Theta[n * m + j]!;
  }
  const targets = Float64Array.from(T, (t) => c * t);
  return { W, b, anchors, targets, scale: c, k, fanIn: n, fanOut: m };
}

/**
 * LPS-R (reconstruction) for one dense layer: `features` is the B × n matrix of the layer's inputs on the batch
 * (row-major), `fanOut` the number of neurons m. Returns W `[m, n]`, b `[m]`, the anchors and the scaled targets.
 * Throws ShapeError for an empty batch or bad sizes, NonFiniteError for non-finite features, DomainError for bad
 * options.
 */
export function lpsDense(features: Batch, fanOut: number, rng: RandomSource, options?: LpsOptions): LpsDenseResult {
  const A = checkBatch(features, 'features');
  const m = checkPosInt('fanOut', fanOut);
  return lpsDenseCore(A, m, rng, resolveOptions(checkedOptions('lpsDense', options, LPS_KEYS) as LpsOptions));
}

/** An NCHW image batch, row-major: `shape = [B, C, H, W]`. */
export interface ImageBatch {
  readonly data: ArrayLike<number>;
  readonly shape: readonly [number, number, number, number];
}

/** Geometry options of {@link lpsConv2d}. */
export interface LpsConv2dOptions extends LpsOptions {
  /** Stride (same for both axes, or [sh, sw]); default 1. */
  readonly stride?: number | readonly [number, number];
  /** Zero padding (same for both axes, or [ph, pw]); default 0. */
  readonly pad?: number | readonly [number, number];
  /** Use at most this many patches (random subset, without replacement); default 20000. */
  readonly maxPatches?: number;
}

/** Keys of `LpsConv2dOptions`. */
export const LPS_CONV2D_KEYS = optionKeys<LpsConv2dOptions>({ ...LPS_KEYS_RECORD, stride: true, pad: true, maxPatches: true });

/** Result of {@link lpsConv2d}. */
export interface LpsConv2dResult extends LpsDenseResult {
  /** Weight shape `[cOut, cIn, kh, kw]` (W is row-major in this layout). */
  readonly shape: readonly [number, number, number, number];
  /** Output spatial size [H_out, W_out]. */
  readonly outSize: readonly [number, number];
  /** For each anchor: [sample, oy, ox] of the patch. */
  readonly anchorPatches: readonly (readonly [number, number, number])[];
}

function pair(name: string, v: unknown, dflt: number, min: number): [number, number] {
  if (v === undefined) return [dflt, dflt];
  const arr = typeof v === 'number' ? [v, v] : Array.isArray(v) && v.length === 2 ? v : undefined;
  if (!arr || !arr.every((x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= min)) {
    throw new ShapeError(`${name} must be an integer >= ${min} or a pair of them, got ${describe(v)}`);
  }
  return [arr[0] as number, arr[1] as number];
}

/**
 * im2col: every (sample, oy, ox) patch of an NCHW batch as one row, columns in the weight order (c, i, j),
 * zero padding. Returns the rows for the patch indices `which` (all patches when undefined).
 */
export function im2col(
  input: ImageBatch,
  kh: number,
  kw: number,
  stride: readonly [number, number],
  pad: readonly [number, number],
  which?: ArrayLike<number>,
): { rows: number; cols: number; data: Float64Array; outSize: [number, number] } {
  const [B, C, H, Wd] = input.shape;
  const Ho = Math.floor((H + 2 * pad[0] - kh) / stride[0]) + 1;
  const Wo = Math.floor((Wd + 2 * pad[1] - kw) / stride[1]) + 1;
  const cols = C * kh * kw;
  const total = B * Ho * Wo;
  const rows = which ? which.length : total;
  const out = new Float64Array(rows * cols);
  const x = input.data;
  for (let r = 0; r < rows; r++) {
    const pidx = which ? which[r]! : r;
    const s = Math.floor(pidx / (Ho * Wo));
    const rem = pidx % (Ho * Wo);
    const oy = Math.floor(rem / Wo);
    const ox = rem % Wo;
    let col = 0;
    for (let c = 0; c < C; c++) {
      for (let i = 0; i < kh; i++) {
        const y = oy * stride[0] - pad[0] + i;
        for (let j = 0; j < kw; j++, col++) {
          const xx = ox * stride[1] - pad[1] + j;
          out[r * cols + col] = y >= 0 && y < H && xx >= 0 && xx < Wd ? x[((s * C + c) * H + y) * Wd + xx]! : 0;
        }
      }
    }
  }
  return { rows, cols, data: out, outSize: [Ho, Wo] };
}

/**
 * LPS-R (reconstruction) for a 2-D convolution: each output channel is a neuron whose input is an image patch
 * (spec §4.3). `input` is the layer's NCHW input on the batch. Anchors are patches drawn at random; the rescale
 * statistic is the mean z² over all (or the `maxPatches` subsampled) patches. Weight layout `[cOut, cIn, kh, kw]`.
 */
export function lpsConv2d(input: ImageBatch, cOut: number, kh: number, kw: number, rng: RandomSource, options?: LpsConv2dOptions): LpsConv2dResult {
  if (typeof input !== 'object' || input === null || !Array.isArray(input.shape) || input.shape.length !== 4) {
    throw new ShapeError(`input must be an NCHW batch {data, shape: [B, C, H, W]}, got ${describe(input)}`);
  }
  const [B, C, H, Wd] = input.shape;
  if (typeof B !== 'number' || !Number.isInteger(B) || B < 1) {
    throw new ShapeError(`input must contain at least one sample (input.shape[0] >= 1), got ${describe(B)}`);
  }
  checkPosInt('input.shape[1]', C);
  checkPosInt('input.shape[2]', H);
  checkPosInt('input.shape[3]', Wd);
  checkPosInt('cOut', cOut);
  checkPosInt('kh', kh);
  checkPosInt('kw', kw);
  checkBatch({ rows: B, cols: C * H * Wd, data: input.data }, 'input');
  const opts = checkedOptions('lpsConv2d', options, LPS_CONV2D_KEYS) as LpsConv2dOptions;
  const o = resolveOptions(opts);
  const stride = pair('options.stride', opts.stride, 1, 1);
  const pad = pair('options.pad', opts.pad, 0, 0);
  const maxPatches = opts.maxPatches ?? 20000;
  checkPosInt('options.maxPatches', maxPatches);
  const Ho = Math.floor((H + 2 * pad[0] - kh) / stride[0]) + 1;
  const Wo = Math.floor((Wd + 2 * pad[1] - kw) / stride[1]) + 1;
  if (Ho < 1 || Wo < 1) throw new ShapeError(`kernel [${kh}, ${kw}] with pad ${describe(pad)} does not fit the input [${H}, ${Wd}]`);
  const total = B * Ho * Wo;
  let which: Int32Array | undefined;
  if (total > maxPatches) {
    const perm = new Int32Array(total);
    for (let i = 0; i < total; i++) perm[i] = i;
    for (let t = 0; t < maxPatches; t++) {
      const pick = t + rng.nextInt(total - t);
      const tmp = perm[t]!;
      perm[t] = perm[pick]!;
      perm[pick] = tmp;
    }
    which = perm.slice(0, maxPatches);
  }
  const P = im2col(input, kh, kw, stride, pad, which);
  const res = lpsDenseCore(P, cOut, rng, o);
  const anchorPatches = res.anchors.map((r) => {
    const pidx = which ? which[r]! : r;
    const s = Math.floor(pidx / (Ho * Wo));
    const rem = pidx % (Ho * Wo);
    return [s, Math.floor(rem / Wo), rem % Wo] as const;
  });
  return { ...res, shape: [cOut, C, kh, kw], outSize: [Ho, Wo], anchorPatches };
}

/** Options of {@link lpsInitMLP}. */
export interface LpsMlpOptions extends LpsOptions {
  /**
   * Allow a batch with fewer rows than the square systems need (max over hidden layers of min(n_{l-1}+1, kMax)).
   * Default false: such a batch raises a ShapeError naming `batch`.
   */
  readonly allowSmallBatch?: boolean;
}

/** Keys of `LpsMlpOptions`. */
export const LPS_MLP_KEYS = optionKeys<LpsMlpOptions>({ ...LPS_KEYS_RECORD, allowSmallBatch: true });

/** Result of {@link lpsInitMLP}. */
export interface LpsMlpResult {
  /** The initialised network (hidden layers LPS-R, output layer He-normal with zero bias). */
  readonly mlp: DenseLayer[];
  /** Per hidden layer: anchors, scaled targets, scale and k. */
  readonly hidden: Omit<LpsDenseResult, 'W' | 'b'>[];
}

/**
 * LPS-R (reconstruction) for a whole ReLU MLP, spec §4.2 driver. `widths = [n_0, N_1, …, N_L, n_out]`;
 * `batch` is B × n_0 (preprocessed as in training). Hidden layer l (1-based) is fitted on the ReLU features of the
 * layers already set up, with its own stream `createStream(deriveSeed(rng), l-1)`; the output layer is He-normal
 * N(0, 2/N_L) with zero bias, drawn from stream L. Needs at least one hidden layer.
 */
export function lpsInitMLP(widths: readonly number[], batch: Batch, rng: RandomSource, options?: LpsMlpOptions): LpsMlpResult {
  if (!Array.isArray(widths) || widths.length < 3) {
    throw new ShapeError(`widths must list [n_0, N_1, …, n_out] with at least one hidden layer (length >= 3), got ${describe(widths)}`);
  }
  widths.forEach((w, i) => checkPosInt(`widths[${i}]`, w));
  const opts = checkedOptions('lpsInitMLP', options, LPS_MLP_KEYS) as LpsMlpOptions;
  const o = resolveOptions(opts);
  const X = checkBatch(batch, 'batch');
  if (X.cols !== widths[0]) throw new ShapeError(`batch.cols must equal widths[0] = ${widths[0]}, got ${X.cols}`);
  let need = 1;
  for (let l = 1; l < widths.length - 1; l++) need = Math.max(need, Math.min(widths[l - 1]! + 1, o.kMax));
  if (X.rows < need && opts.allowSmallBatch !== true) {
    throw new ShapeError(
      `batch is too small: LPS-R needs at least ${need} samples (max over hidden layers of min(fan_in + 1, kMax)), got ${X.rows}; ` +
        'pass allowSmallBatch: true to accept under-determined layers',
    );
  }
  const master = deriveSeed(rng);
  const mlp: DenseLayer[] = [];
  const hidden: Omit<LpsDenseResult, 'W' | 'b'>[] = [];
  let feats: Batch = X;
  const nHidden = widths.length - 2;
  for (let l = 1; l <= nHidden; l++) {
    const res = lpsDenseCore(feats, widths[l]!, createStream(master, l - 1), o);
    const { W, b, ...info } = res;
    const layer: DenseLayer = { W, b, shape: [widths[l]!, widths[l - 1]!] };
    mlp.push(layer);
    hidden.push(info);
    const z = denseForwardRows(feats.data, feats.rows, layer);
    for (let i = 0; i < z.length; i++) if (z[i]! < 0) z[i] = 0;
    feats = { rows: feats.rows, cols: widths[l]!, data: z };
  }
  const nIn = widths[nHidden]!;
  const nOut = widths[nHidden + 1]!;
  const orng = createStream(master, nHidden);
  const std = Math.sqrt(2 / nIn);
  const W = o.dtype === 'float64' ? new Float64Array(nOut * nIn) : new Float32Array(nOut * nIn);
  for (let i = 0; i < W.length; i++) W[i] = std * orng.nextNormal();
  const b = o.dtype === 'float64' ? new Float64Array(nOut) : new Float32Array(nOut);
  mlp.push({ W, b, shape: [nOut, nIn] });
  return { mlp, hidden };
}
