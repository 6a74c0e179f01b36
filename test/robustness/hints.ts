/**
 * Per-export argument hints: how to build a valid (finite, in-range, see kinds.ts) argument list for each exported
 * function or class. The suite drives every export with junk whether or not it has a hint; the hint adds the
 * valid-input checks (no non-finite output, no untyped error) and the "one argument broken" checks. A new export
 * without a hint fails the test "every export has an argument hint", so the finiteness check cannot silently skip
 * it.
 *
 * Keys: `<entry>#<name>` where two entries export different functions under one name (tensor `zeros` vs
 * initializer `zeros`), otherwise the plain export name. `env: true`: a valid call may throw a typed error that
 * depends on the machine (no GPU context), so valid calls are not required to succeed.
 */
import fc from 'fast-check';
import { CpuBackend } from '../../src/kernels/cpu/backend.js';
import type { BackendProvider } from '../../src/kernels/backend.js';
import { createRng, heNormalMlp, initializerNames, mlpOps, NONLINEARITIES, parseVarianceScaling } from '../../src/init/index.js';
import { denseFromInit } from '../../src/nn/index.js';
import { sum } from '../../src/tensor/index.js';
import { CONV_HINTS } from './hints-conv.js';
import { NN_HINTS } from './hints-nn.js';
import {
  activationSpec, anyTensor, anyVec, batchOf, bool, deepNet, dim, dtype, dtypeOpt, gammasFor, meanField, momentOrder,
  name, nat, nd, net, noOpts, opsAndReport, pos, posInt, prob, real, rng, scalesFor, seed, shape, shapes, shapesOf,
  tensorOf, tensorPair, tshape, vec, widths, wshape,
} from './kinds.js';

export interface Hint {
  /** Valid argument lists. */
  readonly args: fc.Arbitrary<unknown[]>;
  /** Call with `new`. */
  readonly construct?: boolean;
  /** A valid call may throw a typed, machine-dependent error (e.g. no GPU context). */
  readonly env?: boolean;
  /**
   * Time limit of one call of this export in ms, instead of the suite's CALL_LIMIT_MS. Only for an export whose
   * default work is large by design (e.g. `loadMnist()` decodes the 60k training split), with the reason next to the
   * hint; a hang or a slow path from junk input is still a failure, just found later.
   */
  readonly limitMs?: number;
}

const t = (...arbs: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown[]> => fc.tuple(...arbs).map((a) => [...a]);
const h = (...arbs: fc.Arbitrary<unknown>[]): Hint => ({ args: t(...arbs) });
const c = (...arbs: fc.Arbitrary<unknown>[]): Hint => ({ args: t(...arbs), construct: true });
const u = (...values: unknown[]): fc.Arbitrary<unknown> => fc.constantFrom(...values);
const k = <T>(value: T): fc.Arbitrary<T> => fc.constant(value);

/** Tensor initializers: (shape, rng, options?). */
const init = h(wshape, rng, dtypeOpt);
const message = h(u('bad input'));
const mlp = net.map((n) => n.mlp);
const param = h(name, real);
const chainH = (f: (n: { widths: number[]; mlp: unknown[] }) => fc.Arbitrary<unknown[]>, src = net): Hint => ({ args: src.chain(f) });
const cpuProviderLike = (n: string): BackendProvider => ({ name: n, priority: 1, probe: () => ({ available: true, fast: true, reason: 'test' }), create: () => new CpuBackend() });
const mf = (f: (m: { widths: number[]; gammas: number | number[]; params: { widths: readonly number[] } }) => fc.Arbitrary<unknown[]>): Hint => ({ args: meanField.chain(f) });
const d0 = (w: readonly number[]): number => w[0] as number;
const dL = (w: readonly number[]): number => w[w.length - 1] as number;

export const HINTS: Readonly<Record<string, Hint>> = {
  // src/core
  InitlabError: c(u('bad input')), ShapeError: c(u('bad shape')), DomainError: c(u('bad value')), NonFiniteError: c(u('NaN seen')),
  DTypeError: c(u('bad dtype')), GradError: c(u('no grad')), BackendError: c(u('no backend')),
  allocate: h(nat, u(undefined, 'float32', 'float64')),
  allocateLike: h(u(new Float32Array(2), new Float64Array(3)), nat),
  assertFinite: param, assertPositiveInt: h(name, posInt),
  checkShape: h(shape, u(undefined, 'shape')),
  checkElementCount: h(u('x', 'shape [2, 3]'), nat, u(undefined, 8, 2 ** 20)),
  describe: h(fc.anything({ maxDepth: 2 })),
  dtypeOf: h(u(new Float32Array(1), new Float64Array(1))),
  numel: h(shape),
  resolveDType: h(u(undefined, 'float32', 'float64')),
  // src/kernels
  // Each construction compiles the kernel module and instantiates a (shared, 1 GiB maximum) linear memory; in a clean
  // CI run on 2 loaded cores one such call in a robustness worker took over 2 s (2026-11-29), without hanging.
  WasmBackend: { ...c(u(undefined, {}, { threads: 1 }, { threads: 1, fma: false })), limitMs: 10_000 },
  BackendRegistry: c(k([]), k({ announce: (): void => undefined })),
  CpuBackend: c(),
  GpuBackend: { args: t(), construct: true, env: true },
  autoDecision: h(), getBackend: h(), listBackends: h(),
  backendInstance: h(u('cpu')),
  decideAuto: h(k([cpuProviderLike('a'), cpuProviderLike('b')])),
  registerBackend: h(fc.integer({ min: 0, max: 99 }).map((i) => cpuProviderLike(`robust${i}`))),
  setBackend: h(u('auto', 'cpu')),
  // src/tensor
  Tensor: { args: fc.tuple(dim, dtype).map(([n, dt]) => [dt === 'float32' ? new Float32Array(n) : new Float64Array(n), [n]]), construct: true },
  'initlab#tensor': h(anyVec, u(undefined), u(undefined, {}, { dtype: 'float64' })),
  'initlab#zeros': h(shape, u(undefined, {}, { dtype: 'float64' })),
  'initlab#ones': h(shape, u(undefined, {}, { dtype: 'float64' })),
  'initlab#full': h(shape, real, u(undefined, {})),
  'initlab#arange': { args: fc.tuple(real, fc.integer({ min: 1, max: 20 }), pos).map(([a, n, s]) => [a, a + n * s, s]) },
  'initlab#eye': h(dim, u(undefined, 3), u(undefined, {})),
  noGrad: h(k(() => 1)), isGradEnabled: h(),
  backward: { args: tshape.chain((s) => tensorOf(s, -3, 3, true)).map((x) => [sum(x)]) },
  zeroGrad: { args: tshape.chain((s) => tensorOf(s, -3, 3, true)).map((x) => [[x]]) },
  add: { args: tensorPair() }, sub: { args: tensorPair() }, mul: { args: tensorPair() },
  div: { args: tensorPair(0.5, 3) },
  neg: h(anyTensor), exp: h(anyTensor), relu: h(anyTensor), sigmoid: h(anyTensor), tanh: h(anyTensor),
  log: { args: tshape.chain((s) => tensorOf(s, 0.1, 3)).map((x) => [x]) },
  scale: h(anyTensor, real), leakyRelu: h(anyTensor, prob),
  broadcastTo: { args: fc.tuple(dim, dim).chain(([m, n]) => tensorOf([1, n]).map((x) => [x, [m, n]])) },
  sumTo: { args: fc.tuple(dim, dim).chain(([m, n]) => tensorOf([m, n]).map((x) => [x, [1, n]])) },
  broadcastShapes: h(fc.tuple(dim).map(([m]) => [m, 1]), fc.tuple(dim).map(([n]) => [1, n])),
  reshape: { args: tshape.chain((s) => tensorOf(s)).map((x) => [x, [x.size]]) },
  transpose: { args: fc.tuple(dim, dim).chain(([m, n]) => tensorOf([m, n])).map((x) => [x]) },
  sum: h(anyTensor), mean: h(anyTensor), max: h(anyTensor), argmax: h(anyTensor),
  'initlab#logSumExp': h(anyTensor), softmax: h(anyTensor), logSoftmax: h(anyTensor),
  matmul: { args: fc.tuple(dim, dim, dim, dtype).chain(([m, k2, n, d]) => t(tensorOf([m, k2], -3, 3, false, d), tensorOf([k2, n], -3, 3, false, d))) },
  linear: { args: fc.tuple(dim, dim, dim, dtype).chain(([b, i, o, d]) => t(tensorOf([b, i], -3, 3, false, d), tensorOf([o, i], -3, 3, false, d), tensorOf([o], -3, 3, false, d))) },
  crossEntropy: { args: fc.tuple(dim, dim).chain(([n, c2]) => t(tensorOf([n, c2]), fc.array(fc.integer({ min: 0, max: c2 - 1 }), { minLength: n, maxLength: n }))) },
  mse: { args: tensorPair() },
  fromNdarray: h(nd), toNdarray: h(anyTensor),
  // src/nn
  denseFromInit: h(mlp, u(undefined, {}, { dtype: 'float64' })),
  'initlab/nn#mlpForward': { args: net.chain((n) => tensorOf([2, d0(n.widths)]).map((x) => [denseFromInit(n.mlp), x])) },
  signalPropagation: {
    args: net.chain((n) => fc.tuple(tensorOf([3, d0(n.widths)]), fc.array(fc.integer({ min: 0, max: dL(n.widths) - 1 }), { minLength: 3, maxLength: 3 }))
      .map(([x, labels]) => [denseFromInit(n.mlp), x, labels])),
  },
  deadFraction: h(anyTensor),
  // src/nn/optim, src/nn/data: hints-nn.ts
  ...NN_HINTS,
  // conv2d / pooling ops and modules: hints-conv.ts
  ...CONV_HINTS,
  // src/init: rng and sampling
  SplitMix64: c(seed), Xoshiro128StarStar: c(seed),
  checkRng: h(rng, u(undefined, 'rng', 'options.rng')), rejectionCap: h(fc.double({ min: 1e-3, max: 1, noNaN: true })),
  createRng: h(seed), createStream: h(seed, nat), createStreams: h(seed, nat), deriveSeed: h(rng),
  seedToUint64: h(seed), splitMix64At: h(seed, nat), streamSeed: h(seed, nat),
  sampleNormal: h(rng, real, pos), sampleUniform: h(rng, real, real),
  sampleTruncatedNormal: { args: fc.tuple(rng, real, pos, real, pos).map(([r, m, s, a, w]) => [r, m, s, a, a + w]) },
  fillNormal: h(u(new Float32Array(4), new Float64Array(3)), rng, real, pos),
  fillUniform: h(u(new Float32Array(4), new Float64Array(3)), rng, real, real),
  fillTruncatedNormal: { args: fc.tuple(rng, real, pos, real, pos).map(([r, m, s, a, w]) => [new Float64Array(3), r, m, s, a, a + w]) },
  // src/init: tensor initializers
  constant: h(wshape, real, dtypeOpt), 'initlab/init#zeros': h(wshape, dtypeOpt), 'initlab/init#ones': h(wshape, dtypeOpt),
  'initlab/init#eye': h(fc.tuple(dim, dim).map((s) => [...s]), dtypeOpt),
  dirac: h(fc.tuple(dim, dim, fc.integer({ min: 1, max: 3 })).map(([o, i, k2]) => [o, i, k2]), dtypeOpt),
  uniform: init, normal: init, truncatedNormal: init, orthogonal: init, sparse: h(fc.tuple(dim, dim).map((x) => [...x]), rng, u(undefined, { sparsity: 0.5 })),
  glorotNormal: init, glorotUniform: init, xavierNormal: init, xavierUniform: init, heNormal: init, heUniform: init,
  kaimingNormal: init, kaimingUniform: init, kerasDefault: init, lecunNormal: init, lecunUniform: init,
  torchDefaultLinear: init, torchDefaultBias: init, varianceScaling: init, geometricInit: init, fractionalMomentNormal: init,
  drawVarianceScaling: h(wshape, rng, k(parseVarianceScaling({}))),
  varianceScalingParams: h(wshape, dtypeOpt), parseVarianceScaling: h(u({}, { scale: 2 })),
  householderQ: { args: fc.tuple(dim, dim).chain(([a, b]) => { const m = Math.max(a, b); const n = Math.min(a, b); return vec(m * n).map((A) => [A, m, n]); }) },
  truncatedNormalMoments: { args: fc.tuple(real, pos, real, pos).map(([m, s, a, w]) => [m, s, a, a + w]) },
  computeFans: h(wshape), fanForMode: h(posInt, posInt, u('fan_in', 'fan_out', 'fan_avg', 'fan_geo_avg')),
  calculateGain: h(fc.constantFrom(...NONLINEARITIES), u(undefined, 0.2)),
  // src/init: option parsing
  booleanParam: h(name, bool), finiteParam: param, positiveParam: h(name, pos), nonNegativeParam: h(name, pos),
  positiveIntParam: h(name, posInt), nonNegativeIntParam: h(name, nat),
  rangeParam: h(name, prob, k(0), k(1)), enumParam: h(name, u('a', 'b'), k(['a', 'b'])),
  optionsRecord: h(noOpts), checkedOptions: h(u('f'), u(undefined, {}, { a: 1 }), k(['a'])), optionKeys: h(k({ a: true, b: true })),
  // src/init: special functions (in range: where the exact value is finite)
  erf: h(real), erfc: h(real), normalCdf: h(real), normalPdf: h(real),
  lgamma: h(pos), digamma: h(pos), trigamma: h(pos), lgammaRatio: h(pos, pos),
  lnChoose: { args: fc.tuple(nat, nat).map(([a, b]) => [a + b, b]) },
  'initlab/init#logSumExp': h(anyVec), secondMoment: h(anyVec),
  gaussLegendre: h(posInt), betaExpect: h(u(0.5, 1, 1.5), u(0.5, 1, 2), k([(b: number): number => b, (b: number): number => 1 - b])),
  // src/init: registry
  getInitializer: h(fc.constantFrom(...initializerNames())), hasInitializer: h(u('he_normal', 'nope')), initializerNames: h(),
  getTensorInitializer: h(u('he_normal', 'uniform')), getNetworkInitializer: h(u('pathcond_after_he', 'enorm_after_he')),
  listInitializers: h(u(undefined, {}, { kind: 'tensor' })),
  registerInitializer: h(fc.integer({ min: 0, max: 99 }).map((i) => ({
    kind: 'tensor', name: `robust_${i}`, description: 'robustness suite entry', source: 'test', provenance: 'derived',
    init: (s: readonly number[]): Float32Array => new Float32Array(s.reduce((a, b) => a * b, 1)),
  })), k({ replace: true })),
  initializeNetwork: { args: fc.tuple(fc.constantFrom(...initializerNames()), shapes, rng).map(([n, s, r]) => [n, s, r]) },
  widthsFromShapes: h(shapes),
  // src/init: plain-loop MLPs
  validateMlp: h(mlp), mlpWidths: h(mlp), mlpNumHidden: h(mlp), mlpNumParams: h(mlp), mlpToFloat64: h(mlp),
  mlpToLayerTensors: h(mlp, u(undefined, 'float32', 'float64')), mlpLikeStorage: chainH((n) => k([n.mlp, n.mlp])),
  flattenParams: h(mlp), layerDims: chainH((n) => k([n.mlp[0]])), layerScale: chainH((n) => k([n.mlp[0]])),
  'initlab/init#mlpForward': chainH((n) => vec(d0(n.widths)).map((x) => [n.mlp, x])),
  mlpForwardBatch: chainH((n) => batchOf(d0(n.widths)).map((b) => [n.mlp, b])),
  mlpTrace: chainH((n) => t(k(n.mlp), vec(2 * d0(n.widths)), k(2), u(undefined, 'relu', 'sigmoid', 'tanh'))),
  denseForwardRows: chainH((n) => vec(2 * d0(n.widths)).map((x) => [x, 2, n.mlp[0]])),
  activate: h(u('relu', 'sigmoid', 'tanh'), real),
  sameStorage: h(u(new Float32Array(2), new Float64Array(2)), k([1, 2])),
  heNormalMlp: h(shapes, rng, u(undefined, 'zeros', 'none')),
  // src/init: path lifting
  countPaths: h(mlp), enumeratePaths: h(mlp), pathLiftingDiagG: h(mlp), pathNorm: h(mlp, u(undefined, 1, 2)), pathNormPow: h(mlp, u(undefined, 1, 2)),
  enormCost: h(mlp), enormRescale: h(mlp, noOpts), pathCondRescale: h(mlp, noOpts),
  applyNeuronRescaling: chainH((n) => scalesFor(n.widths, 0.5, 2).map((s) => [n.mlp, s]), deepNet),
  invertNeuronRescaling: chainH((n) => scalesFor(n.widths, 0.5, 2).map((s) => [n.mlp, s]), deepNet),
  applyLogRescaling: chainH((n) => scalesFor(n.widths, -2, 2).map((s) => [n.mlp, s]), deepNet),
  rescalingExponents: chainH((n) => scalesFor(n.widths, -2, 2).map((s) => [n.mlp, s]), deepNet),
  pathCondObjective: chainH((n) => scalesFor(n.widths, -2, 2).map((s) => [n.mlp, s]), deepNet),
  lambdaToLogScales: chainH((n) => scalesFor(n.widths, 0.5, 2).map((s) => [s]), deepNet),
  logScalesToLambda: chainH((n) => scalesFor(n.widths, -2, 2).map((s) => [s]), deepNet),
  parsePathCondOptions: h(noOpts), parseENormOptions: h(noOpts), parsePathCondAfterHeOptions: h(noOpts), parseENormAfterHeOptions: h(noOpts),
  // src/init: scaling calculus
  mlpOps: h(widths), parseScalingOps: { args: widths.map((w) => [mlpOps(w)]) },
  scalingReport: { args: opsAndReport.map((r) => [r.ops, { inputShape: [d0(r.widths)] }]) },
  parseScalingReportOptions: h(k({ inputShape: [3] })),
  balanceVariances: { args: opsAndReport.map((r) => [r.report]) }, lrMultipliers: { args: opsAndReport.map((r) => [r.report]) },
  balancedOps: { args: opsAndReport.map((r) => [r.ops, r.report]) },
  outputScaleFactor: { args: fc.tuple(opsAndReport, pos).map(([r, target]) => [r.report, target]) },
  balanceWeights: {
    args: fc.tuple(opsAndReport, fc.integer({ min: 0, max: 1000 })).map(([r, s]) => [r.ops, heNormalMlp(shapesOf(r.widths), createRng(s)).map((l) => l.W), { inputShape: [d0(r.widths)] }]),
  },
  maxPoolFactor: h(fc.integer({ min: 1, max: 9 }), u(undefined, 'uncentered-relu', 'centered')),
  empiricalGamma: { args: dim.chain((n) => t(vec(n), fc.array(vec(n), { minLength: 2, maxLength: 4 }))) },
  // src/init: fractional moments
  momentM: h(activationSpec, posInt, momentOrder), logMomentM: h(activationSpec, posInt, momentOrder),
  logMomentLaplace: h(activationSpec, posInt, momentOrder), sigmaS: h(activationSpec, posInt, momentOrder, noOpts),
  sigmaSSquaredExpansion: h(activationSpec, posInt, momentOrder), momentRatio: h(activationSpec, posInt, momentOrder, momentOrder),
  logNormDrift: h(activationSpec, posInt, momentOrder, noOpts), resolveActivation: h(activationSpec),
  parseFractionalOptions: h(noOpts),
  // src/init: mean field
  checkMeanFieldWidths: h(fc.array(posInt, { minLength: 3, maxLength: 5 })),
  checkGammas: h(fc.array(fc.double({ min: 0.5, max: 1, noNaN: true }), { minLength: 2, maxLength: 2 }), k(2)),
  requiredGammas: h(u('f'), u(0.5, 1, [0.5, 0.75]), k(2)),
  meanFieldInit: h(fc.array(posInt, { minLength: 3, maxLength: 5 }), rng, u(undefined, {}, { outputInit: 'centered' })),
  checkMeanFieldParams: mf((m) => k([m.params])),
  meanFieldFactor: mf((m) => k([m.widths, gammaList(m.gammas, m.widths.length - 2), 1])),
  meanFieldLayers: mf((m) => k([m.params, { gammas: m.gammas }])),
  scaledLayers: mf((m) => k([m.widths, (m.params as unknown as { layers: unknown[] }).layers, gammaList(m.gammas, m.widths.length - 2)])),
  meanFieldLearningRates: mf((m) => k([m.widths, m.gammas])),
  inferredGeneralDepthLearningRates: mf((m) => k([m.widths, m.gammas])),
  initOutputVariance: mf((m) => t(k(m.widths), k(m.gammas), pos.map((a) => ({ activationSecondMoment: a })))),
  initPreactivationVariance: mf((m) => k([m.widths, m.gammas, 1, 0.5])),
  gaussianActivationSecondMoment: h(pos, u(undefined, {}, { activation: 'tanh' })),
  // src/init: LPS (a batch of at least max(fan_in + 1, kMax) samples, 9 for fan_in ≤ 8)
  lpsDense: { args: fc.tuple(dim, dim).chain(([cols, out]) => t(batchOf(cols), k(out), rng)) },
  lpsInitMLP: { args: widths.chain((w) => t(k(w), batchOf(d0(w), 9), rng)) },
  lpsConv2d: {
    args: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 3, max: 5 })).chain(([b, ci, s]) =>
      t(vec(b * ci * s * s).map((data) => ({ data, shape: [b, ci, s, s] })), posInt, u(1, 2, 3), u(1, 2, 3), rng)),
  },
  im2col: {
    args: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 3, max: 5 })).chain(([ci, s]) =>
      t(vec(ci * s * s).map((data) => ({ data, shape: [1, ci, s, s] })), u(1, 2, 3), u(1, 2, 3), k([1, 1]), k([0, 0]))),
  },
  parseLpsOptions: h(noOpts), parseLpsMlpOptions: h(noOpts), parseLpsConv2dOptions: h(noOpts),
  parseLpsEntryOptions: h(u('lps'), u('faithful', 'plus'), noOpts),
  checkRows: h(k([1, 2, 3, 4]), k(2), u('x')),
  // src/init: μP (at least one hidden layer) and LSUV (batches of 4 … 9 samples; a typed non-convergence is allowed)
  mupInfShapes: h(fc.array(posInt, { minLength: 3, maxLength: 5 }), posInt),
  mupLearningRates: h(fc.array(posInt, { minLength: 3, maxLength: 5 }), posInt, u('sgd', 'adam'), pos),
  checkMupBaseWidths: h(u(4, [2, 3]), k(2), u('baseWidths', 'options.baseWidth')),
  mupInit: h(fc.array(posInt, { minLength: 3, maxLength: 5 }), rng,
    u(undefined, {}, { baseWidth: 4, readoutZeroInit: true }, { gain: 1, outputMult: 2, dtype: 'float64' })),
  lsuvInit: { args: widths.chain((w) => t(k(w), batchOf(d0(w), 4), rng, u(undefined, {}, { tol: 0.01, maxIter: 20, activation: 'tanh' }))) },
  LsuvConvergenceError: c(nat, pos, prob, posInt),
};

function gammaList(g: number | number[], L: number): number[] {
  return typeof g === 'number' ? Array.from({ length: L }, () => g) : g;
}

