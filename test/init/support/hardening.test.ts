// Issue 11 (hardening), init side: every case the property-based fuzzer found gets a typed error naming the argument
// and its range, or a finite, correct number. Numerical references are independent closed forms (stated per test).
import { expect } from 'chai';
import { DomainError, NonFiniteError, ShapeError } from '../../../src/core/errors.js';
import {
  createRng,
  getNetworkInitializer,
  getTensorInitializer,
  initializeNetwork,
  type RandomSource,
} from '../../../src/init/index.js';
import { glorotNormal, heNormal, orthogonal, truncatedNormal, uniform } from '../../../src/init/classic/index.js';
import { fractionalMomentNormal, momentRatio, sigmaS } from '../../../src/init/fractional/index.js';
import { mlpOps, scalingReport } from '../../../src/init/scaling/index.js';
import { heNormalMlp, pathCondRescale } from '../../../src/init/pathlift/index.js';
import { lpsInitMLP } from '../../../src/init/lps/index.js';
import { checkRng, rejectionCap } from '../../../src/init/support/rng.js';
import { MAX_ELEMENTS, numel } from '../../../src/core/index.js';
import {
  balanceVariances, betaExpect, checkedOptions, checkGammas, denseForwardRows, drawVarianceScaling, empiricalGamma, enumParam,
  fillNormal, fillTruncatedNormal, fillUniform, gaussianActivationSecondMoment, gaussLegendre, householderQ, im2col,
  lambdaToLogScales, layerDims, logSumExp, meanFieldFactor, MIN_TRUNCATION_MASS, mlpForward, mlpLikeStorage, mlpNumParams,
  mlpTrace, mlpWidths, optionKeys, outputScaleFactor, parseLpsConv2dOptions, parseLpsMlpOptions, parseLpsOptions,
  parseScalingReportOptions, parseVarianceScaling, requiredGammas, sameStorage, sampleNormal, sampleTruncatedNormal,
  scaledLayers, secondMoment, splitMix64At, truncatedNormalMoments,
} from '../../../src/init/index.js';

/** A random source whose every draw is the same: the degenerate generator of the fuzzer. */
const stuck: RandomSource = { nextUint32: () => 0, nextFloat64: () => 0.99, nextInt: () => 0, nextNormal: () => 3 };

describe('init/hardening: rng argument', () => {
  it('null, missing methods and Math.random are DomainErrors naming rng, before any work', () => {
    expect(() => getTensorInitializer('he_normal').init([4, 4], null as unknown as RandomSource)).to.throw(DomainError, /^rng must be a RandomSource .*got null$/);
    expect(() => (heNormal as unknown as (s: number[]) => unknown)([3, 3])).to.throw(DomainError, /rng must be a RandomSource .*got undefined/);
    expect(() => heNormal([3, 3], Math.random as unknown as RandomSource)).to.throw(DomainError, /rng must be a RandomSource/);
    expect(() => checkRng({ nextUint32: () => 1 })).to.throw(DomainError, /method\(s\) nextFloat64, nextInt, nextNormal missing/);
    expect(() => initializeNetwork('he_normal', [[3, 2]], {} as RandomSource)).to.throw(DomainError, /rng must be a RandomSource/);
    expect(() => lpsInitMLP([2, 3, 1], { rows: 4, cols: 2, data: new Float64Array(8) }, null as unknown as RandomSource)).to.throw(DomainError, /rng must be/);
    for (const e of ['orthogonal', 'fractional', 'uniform', 'sparse']) {
      expect(() => getTensorInitializer(e).init([3, 3], 5 as unknown as RandomSource, { sparsity: e === 'sparse' ? 0.5 : undefined }), e).to.throw(DomainError, /rng must be/);
    }
  });
});

describe('init/hardening: seeds', () => {
  it('numbers must be safe integers in [0, 2^53-1], bigints in [0, 2^64-1]; nothing aliases modulo 2^64', () => {
    expect(() => createRng(2n ** 70n)).to.throw(DomainError, /^seed must be a bigint in \[0, 2\^64 - 1\], got 1180591620717411303424n$/);
    expect(() => createRng(2n ** 64n)).to.throw(DomainError, /\[0, 2\^64 - 1\]/);
    expect(() => createRng(-1n)).to.throw(DomainError, /\[0, 2\^64 - 1\]/);
    expect(() => createRng(-1)).to.throw(DomainError, /^seed must be an integer in \[0, 2\^53-1\] .*got -1$/);
    expect(createRng(2n ** 64n - 1n).nextUint32()).to.be.a('number');
    expect(createRng(0).getState()).to.deep.equal(createRng(0n).getState());
  });
});

describe('init/hardening: sizes beyond a typed array', () => {
  it('shapes over MAX_ELEMENTS (2^32, core) are ShapeErrors stating the limit, before allocation', () => {
    expect(MAX_ELEMENTS).to.equal(2 ** 32);
    expect(() => getTensorInitializer('he_normal').init([1e9, 16], createRng(1))).to.throw(ShapeError, /^shape has too many elements \(16000000000\) to allocate: the limit is MAX_ELEMENTS = 4294967296/);
    expect(() => getTensorInitializer('he_normal').init([1e9, 1e9], createRng(1))).to.throw(ShapeError, /the limit is MAX_ELEMENTS = 4294967296/);
    expect(() => uniform([2 ** 32 + 1], createRng(1))).to.throw(ShapeError, /^shape has too many elements \(4294967297\) to allocate: the limit is MAX_ELEMENTS/);
    expect(() => sigmaS('relu', 1e17, 1)).to.throw(DomainError, /^n \(layer width\) must be an integer in \[1, 1000000\], got 100000000000000000$/);
    expect(() => lpsInitMLP([4, 2 ** 31, 2], { rows: 8, cols: 4, data: new Float64Array(32) }, createRng(0))).to.throw(ShapeError, /^layer 1 \(widths\[1\]·widths\[0\] = 2147483648·4\) has too many elements \(8589934592\) to allocate: the limit is MAX_ELEMENTS/);
  });
});

describe('init/hardening: null options and context', () => {
  it('null options / context / context fields are DomainErrors naming the argument', () => {
    const he = getTensorInitializer('he_normal');
    expect(() => he.init([3, 3], createRng(1), null as never)).to.throw(DomainError, /^options must be an object, got null$/);
    expect(() => he.init([3, 3], createRng(1), {}, null as never)).to.throw(DomainError, /^context must be an object, got null$/);
    expect(() => fractionalMomentNormal([3, 3], createRng(1), { act: null as never })).to.throw(DomainError, /options\.act/);
    expect(() => initializeNetwork('he_normal', [[3, 2]], createRng(1), null as never)).to.throw(DomainError, /options must be an object/);
  });

  it('network entries through the registry validate context.data and context.extra', () => {
    const shapes = [[3, 2], [1, 3]];
    expect(() => getNetworkInitializer('lps_r').init(shapes, createRng(1), {}, { data: null } as never)).to.throw(DomainError, /^context\.data must be an object, got null$/);
    expect(() => getNetworkInitializer('lps_r').init(shapes, createRng(1), {}, { data: { x: [1, NaN], shape: [1, 2] } } as never)).to.throw(NonFiniteError, /context\.data\.x\[1\]/);
    expect(() => getNetworkInitializer('lps_r').init(shapes, createRng(1), {}, { data: { x: new Float64Array(3), shape: [1, 2] } })).to.throw(ShapeError, /context\.data\.x has 3 values/);
    expect(() => getNetworkInitializer('scaling_balanced').init([[3, 2]], createRng(1), {}, { extra: { ops: 5 } })).to.throw(DomainError, /context\.extra\.ops must be a non-empty array of ops, got 5/);
    expect(() => getNetworkInitializer('scaling_balanced').init([[3, 2]], createRng(1), {}, { extra: 5 } as never)).to.throw(DomainError, /^context\.extra must be an object, got 5$/);
    expect(() => getTensorInitializer('he_normal').init([3, 2], createRng(1), {}, { layerIndex: -1 })).to.throw(DomainError, /context\.layerIndex/);
    expect(() => getTensorInitializer('he_normal').init([3, 2], createRng(1), {}, { datum: 1 } as never)).to.throw(DomainError, /unknown option context\.datum/);
  });
});

describe('init/hardening: rejection samplers are capped', () => {
  it('the cap makes a correct generator fail with probability < 1e-30', () => {
    const p = 0.9544997361036416; // P(|Z| <= 2)
    const k = rejectionCap(p);
    expect(Math.pow(1 - p, k)).to.be.below(1e-30);
    expect(Math.pow(1 - p, k - 1)).to.be.at.least(1e-30);
  });

  it('a degenerate source ends in a DomainError naming the sampler instead of hanging', () => {
    expect(() => heNormal([3, 3], stuck)).to.throw(DomainError, /truncated-normal rejection sampler: no draw accepted in 23 tries .*rng is a degenerate random source/);
    expect(() => getTensorInitializer('he_normal').init([3, 3], stuck)).to.throw(DomainError, /truncated-normal rejection sampler/);
    expect(() => truncatedNormal([2], stuck, { a: -1, b: 1 })).to.throw(DomainError, /truncated-normal rejection sampler/);
  });

  it('options are parsed before any draw (orthogonal with a bad dtype draws nothing)', () => {
    let draws = 0;
    const counting: RandomSource = { ...stuck, nextNormal: () => (draws++, 0) };
    expect(() => orthogonal([1e7, 1], counting, { dtype: 'x' as never })).to.throw(DomainError, /dtype/);
    expect(draws).to.equal(0);
  });
});

describe('init/hardening: finite results from finite input', () => {
  it('uniform with bounds ±1e308 stays finite and within [a, b)', () => {
    const w = uniform([1000], createRng(3), { a: -1e308, b: 1e308, dtype: 'float64' });
    expect(w.every((x) => Number.isFinite(x) && x >= -1e308 && x < 1e308)).to.equal(true);
    // mean of U[−c, c) is 0 with std c/√3; the sample mean of 1000 draws is within 5·c/√(3·1000) ≈ 0.0913·c
    const mean = Array.from(w).reduce((s, x) => s + x / 1e308, 0) / w.length;
    expect(Math.abs(mean)).to.be.below(0.0913);
    // unchanged draws for ordinary bounds: a + (b − a)·u exactly
    const r = createRng(5);
    const u = uniform([3], createRng(5), { a: -2, b: 3, dtype: 'float64' });
    u.forEach((x) => expect(x).to.equal(-2 + 5 * r.nextFloat64()));
  });

  it('sigmaS for small s: limit exp(−½E[ln Z]) (linear: closed form with γ), ReLU n = 64 matches the series', () => {
    const EULER = 0.5772156649015329;
    // linear, n = 1: Z ~ χ²_1, E ln Z = ψ(½) + ln 2 = −γ − ln 2, so σ_0 = exp((γ + ln 2)/2); σ_s = σ_0·(1 + O(s))
    const lin1 = Math.exp((EULER + Math.LN2) / 2);
    for (const s of [1e-9, 1e-12, 1e-16]) expect(Math.abs(sigmaS('linear', 1, s) / lin1 - 1), `s=${s}`).to.be.below(1e-8 + s * 10);
    // leaky a = 1 is linear; a = 0.98 near it, Z > 0 a.s.: finite limit, smooth in s (relative change < 1e-8 from 1e-9 to 1e-16)
    const l9 = sigmaS({ kind: 'leaky_relu', a: 0.98 }, 4, 1e-9);
    expect(Math.abs(sigmaS({ kind: 'leaky_relu', a: 0.98 }, 4, 1e-16) / l9 - 1)).to.be.below(1e-8);
    // ReLU n = 64: ln σ_s = −ln(1 − 2^−64)/s − ½(ln 2 + E[ψ(K/2) | K ≥ 1]) + O(s), K ~ Bin(64, ½). Reference with
    // ψ from the exact recurrences ψ(½) = −γ − 2 ln 2, ψ(1) = −γ, ψ(x + 1) = ψ(x) + 1/x and exact binomial weights.
    const n = 64;
    const psi = (k: number): number => {
      let x = k % 2 === 0 ? 1 : 0.5;
      let v = k % 2 === 0 ? -EULER : -EULER - 2 * Math.LN2;
      while (x < k / 2) { v += 1 / x; x += 1; }
      return v;
    };
    let c = 1n;
    let num = 0;
    for (let k = 1; k <= n; k++) {
      c = (c * BigInt(n - k + 1)) / BigInt(k);
      num += (Number(c) / 2 ** n) * psi(k);
    }
    const meanLn = Math.LN2 + num / (1 - 2 ** -n);
    for (const s of [1e-12, 1e-16]) {
      const ref = Math.exp(-Math.log1p(-(2 ** -n)) / s - meanLn / 2);
      // tolerance: O(s) term (s·Var ln Z/8 < 1e-12) plus the 1e-12 accuracy of the sums
      expect(Math.abs(sigmaS('relu', n, s) / ref - 1), `s=${s}`).to.be.below(1e-10);
    }
    expect(sigmaS('relu', n, 1e-16)).to.be.closeTo(0.18045, 1e-4); // was 0.7071 (rounding of ln M)
  });

  it('ReLU σ_s overflow is the honest answer for sigmaS, a NonFiniteError for the initializer', () => {
    expect(sigmaS('relu', 1, 1e-6)).to.equal(Infinity); // true value exp(ln 2 / 1e-6 − …) ≈ e^693147
    expect(momentRatio('relu', 1, 1e-6, 1e-6)).to.be.closeTo(1, 1e-9); // ρ(s) = 1 without forming σ_s
    expect(() => getTensorInitializer('fractional').init([2, 1], createRng(1), { s: 1e-12 })).to.throw(NonFiniteError, /σ_s overflows float64 for options\.s = 1e-12/);
  });

  it('authors-code formula outside its domain is a DomainError, not NaN', () => {
    expect(() => sigmaS({ kind: 'leaky_relu', a: 0.98 }, 1, 0.05, { compat: 'authors-code' })).to.throw(DomainError, /authors' asymptotic variance σ² = -2\.12\d+ is not positive .*n = 1, s = 0\.05/);
    expect(() => getTensorInitializer('fractional').init([2, 1], createRng(1), { act: { kind: 'leaky_relu', a: 0.98 }, s: 0.05, compat: 'authors-code' })).to.throw(DomainError, /not positive/);
  });

  it('activation objects: unknown kinds and extra fields are rejected', () => {
    expect(() => sigmaS({ kind: 'gelu' } as never, 4, 1)).to.throw(DomainError, /act\.kind must be one of "linear", "relu", "leaky_relu", "rrelu", got "gelu"/);
    expect(() => sigmaS({ kind: 'gelu', mu: 1, kappa: 1, slope2: 0 } as never, 4, 1)).to.throw(DomainError, /act\.kind must be one of/);
    expect(() => sigmaS({ kind: 'relu', mu: 1, kappa: 2, slope2: 0 } as never, 4, 1)).to.throw(DomainError, /unknown option act\.mu for sigmaS/);
  });

  it('pathCondRescale: overflowing path magnitudes and huge eps are typed errors, never NaN with converged: true', () => {
    const he = heNormalMlp([[4, 3], [5, 4], [2, 5]], createRng(1));
    const big = he.map((l) => ({ ...l, W: Float64Array.from(l.W, (x) => x * 1e160) }));
    expect(() => pathCondRescale(big)).to.throw(NonFiniteError, /path magnitudes g of mlp overflow float64/);
    expect(() => pathCondRescale(he, { eps: 1e300 })).to.throw(DomainError, /^options\.eps must be in \[0, 1000000\], got 1e\+300$/);
    const r = pathCondRescale(he, { eps: 1e6 });
    expect(r.objectiveTrace.every(Number.isFinite)).to.equal(true);
    expect(r.mlp.every((l) => l.W.every(Number.isFinite))).to.equal(true);
  });

  it('scalingReport: subnormal weightVar is rejected; mlpOps checks its variances', () => {
    expect(() => scalingReport([{ kind: 'dense', nIn: 4, nOut: 3, weightVar: 1e-320 }], { inputShape: [4], scheme: 'given' })).to.throw(
      DomainError,
      /^ops\[0\] \("dense"\)\.weightVar must be in \[2\.2250738585072014e-308, Infinity\), got 1e-320$/,
    );
    expect(() => mlpOps([3, 2], [-1])).to.throw(DomainError, /^weightVars\[0\] must be in \[2\.2250738585072014e-308, Infinity\), got -1$/);
    expect(() => scalingReport([{ kind: 'dense', nIn: 4, nOut: 3, mult: 1e200 }], { inputShape: [4] })).to.throw(NonFiniteError, /^γ of weight layer 0 \(ops\[0\]\) .* is Infinity/);
  });
});

describe('init/hardening: precise messages', () => {
  it('glorot gain 0 names options.gain; truncated_normal names the bound that empties [a, b]', () => {
    expect(() => glorotNormal([3, 3], createRng(1), { gain: 0 })).to.throw(DomainError, /^options\.gain must be non-zero with a finite square .*got 0$/);
    expect(() => glorotNormal([3, 3], createRng(1), { gain: 1e200 })).to.throw(DomainError, /^options\.gain must be non-zero/);
    expect(() => getTensorInitializer('truncated_normal').init([2], createRng(1), { mean: 5, b: 1 })).to.throw(
      DomainError,
      /a must be < b: the truncation interval \[a, b\] = \[3, 1\] is empty \(a \(default mean - 2·std = 3\), options\.b = 1\)/,
    );
  });
});

// Issue 11, robustness suite (test/robustness): one representative per failure class it found in the init exports.
describe('init/hardening: public helpers check their arguments (robustness suite)', () => {
  const net = heNormalMlp([[3, 2], [1, 3]], createRng(4));

  it('null / junk arguments are typed errors naming the argument, not TypeErrors', () => {
    expect(() => layerDims(null as never)).to.throw(ShapeError, /^layer must be a layer object .*got null$/);
    expect(() => mlpWidths(undefined as never)).to.throw(ShapeError, /^mlp must be a non-empty array of layers/);
    expect(() => mlpLikeStorage(net, [net[0]!] as never)).to.throw(ShapeError, /^src must have as many layers as like \(2\), got 1$/);
    expect(() => sameStorage(new Float64Array(2), null as never)).to.throw(ShapeError, /^values must be an array of numbers/);
    expect(() => denseForwardRows(null as never, 2, net[0]!)).to.throw(ShapeError, /^h must be an array of numbers/);
    expect(() => mlpTrace(net, new Float64Array(3), 2)).to.throw(ShapeError, /^x must have length rows·mlp\[0\]\.shape\[1\] = 2·2 = 4, got 3$/);
    expect(() => sampleNormal(null as never, 0, 1)).to.throw(DomainError, /^rng must be a RandomSource/);
    expect(() => fillUniform('relu' as never, createRng(1), 0, 1)).to.throw(DomainError, /^out must be a Float32Array or Float64Array to fill, got "relu"$/);
    expect(() => fillNormal(new Float64Array(2), createRng(1), 0, -1)).to.throw(DomainError, /^std must be a finite number >= 0, got -1$/);
    expect(() => splitMix64At(1, 'float32' as never)).to.throw(DomainError, /^k must be a non-negative safe integer or bigint, got "float32"$/);
    expect(() => balanceVariances(undefined as never)).to.throw(DomainError, /^report must be a ScalingReport/);
    expect(() => outputScaleFactor({} as never, 2)).to.throw(DomainError, /^report\.layers must be a non-empty array/);
    expect(() => parseScalingReportOptions(undefined as never)).to.throw(ShapeError, /^options\.inputShape must be \[n\] or \[C, H, W\], got undefined$/);
    expect(() => parseVarianceScaling(null as never)).to.throw(DomainError, /^options must be an object, got null$/);
    expect(() => drawVarianceScaling([2, 2], createRng(1), undefined as never)).to.throw(DomainError, /^resolved must be a ResolvedVarianceScaling/);
    expect(() => lambdaToLogScales(7 as never)).to.throw(ShapeError, /^lambda must be an array of per-hidden-layer arrays, got 7$/);
    expect(() => lambdaToLogScales([[1, 0]])).to.throw(DomainError, /^lambda\[0\]\[1\] must be a finite positive number, got 0$/);
    expect(() => betaExpect(1, 2, [1] as never)).to.throw(DomainError, /^fns must be an array of functions/);
    expect(() => betaExpect(0.7, 2, [(b) => b])).to.throw(DomainError, /^alpha must be a positive multiple of 1\/2/);
    expect(() => logSumExp(null as never)).to.throw(DomainError, /^values must be an array of numbers/);
    expect(() => secondMoment(undefined as never)).to.throw(ShapeError, /^x must be an array of numbers/);
    expect(() => empiricalGamma(new Float64Array(2), 1 as never)).to.throw(ShapeError, /^perSampleGrads must be an array/);
    expect(() => meanFieldFactor(undefined as never, [0.5], 1)).to.throw(ShapeError, /^widths must be an array/);
    expect(() => meanFieldFactor([2, 3, 1], [0.5], 2)).to.throw(DomainError, /^l \(layer index\) must be an integer in \[0, 1\], got 2$/);
    expect(() => scaledLayers([2, 3, 1], null as never, [0.5])).to.throw(ShapeError, /^params\.layers must be an array of 2 layers/);
    expect(() => requiredGammas('f', 0.5, 1.000000000001)).to.throw(DomainError, /^L \(number of hidden layers\) must be an integer/);
    expect(() => enumParam('x', 'a', undefined as never)).to.throw(DomainError, /^allowed \(the choices for x\) must be an array of strings, got undefined$/);
    expect(() => checkedOptions('f', { a: 1 }, { shape: [2, 2] } as never)).to.throw(DomainError, /^allowed must be an array of option names/);
    expect(() => optionKeys(null as never)).to.throw(DomainError, /^keys must be an object/);
    expect(() => numel(1.5 as never)).to.throw(ShapeError, /^shape must be an array of non-negative integers, got 1\.5$/);
    expect(() => numel([2, 'x'] as never)).to.throw(ShapeError, /^shape\[1\] must be a non-negative integer, got "x"/);
    expect(() => im2col({ data: new Float64Array(9), shape: [1, 1, 3, 3] }, 7, 3, [1, 1], [0, 0])).to.throw(ShapeError, /^kernel \[7, 3\] with pad \[0, 0\] does not fit the input \[3, 3\]$/);
    expect(() => im2col(new Float64Array(4) as never, 2, 2, [1, 1], [0, 0])).to.throw(ShapeError, /^input must be an NCHW batch/);
  });

  it('sizes beyond any allocation are typed errors stating the limit, before work', () => {
    expect(() => gaussLegendre(1e308)).to.throw(DomainError, /^n \(number of nodes\) must be an integer in \[1, 5000\], got 1e\+308$/);
    expect(() => checkGammas(1, Infinity)).to.throw(DomainError, /^L \(number of hidden layers\) must be an integer in \[1, 1000000\], got Infinity$/);
    expect(() => householderQ(new Float64Array(3), 3, 1e12)).to.throw(ShapeError, /^householderQ needs a tall matrix/);
    expect(() => householderQ(new Float64Array(4), 1e6, 1e3)).to.throw(DomainError, /^householderQ work m·n² = 1000000·1000² exceeds MAX_HOUSEHOLDER_WORK = 1000000000$/);
    expect(() => denseForwardRows(new Float64Array(2), -(2 ** 31), net[0]!)).to.throw(DomainError, /^rows must be a positive integer, got -2147483648$/);
  });

  it('calls that used to hang are bounded: stated limits, and windows without mass are rejected', () => {
    expect(() => gaussLegendre(1e12)).to.throw(DomainError, /\[1, 5000\]/);
    expect(() => gaussianActivationSecondMoment(1e12, { activation: 'tanh' })).to.throw(DomainError, /^variance must be in \[0, 100000000\], got 1000000000000$/);
    expect(() => householderQ(new Float64Array(4), 2, [Infinity] as never)).to.throw(DomainError, /^n must be a finite number, got \[Infinity\]$/);
    // N(−10, 0.0129²) keeps ~0 of its mass in [0, 0.0128]: previously an endless rejection loop
    expect(() => sampleTruncatedNormal(createRng(1), -10, 0.0129, 0, 0.0128)).to.throw(DomainError, /keeps probability 0 of N\(-10, 0\.0129²\); must be >= MIN_TRUNCATION_MASS = 0\.000001$/);
    expect(() => fillTruncatedNormal(new Float64Array(3), createRng(1), 0, 0.01, 10, 16)).to.throw(DomainError, /MIN_TRUNCATION_MASS/);
    expect(MIN_TRUNCATION_MASS).to.equal(1e-6);
    // a window with enough mass still samples the same draws as before (rejection from the same normals)
    const r = createRng(9);
    const x = sampleTruncatedNormal(createRng(9), 0, 1, -1, 1);
    let z = r.nextNormal();
    while (z < -1 || z > 1) z = r.nextNormal();
    expect(x).to.equal(z);
  });

  it('valid input gives finite output: kMax "no bound" is null, tail windows are rejected, γ̂ survives tiny values', () => {
    expect(parseLpsOptions({}).kMax).to.equal(null);
    expect(parseLpsConv2dOptions({ kMax: Infinity }).kMax).to.equal(null);
    expect(parseLpsMlpOptions({ kMax: 7 }).kMax).to.equal(7);
    expect(() => truncatedNormalMoments(10, 0.01, -1.66e-129, 0.1776)).to.throw(DomainError, /MIN_TRUNCATION_MASS/);
    // closed form: Z ~ N(0, 1) truncated to [0, ∞): mean φ(0)/½ = √(2/π), variance 1 − 2/π
    const half = truncatedNormalMoments(0, 1, 0, Infinity);
    expect(half.mean).to.be.closeTo(Math.sqrt(2 / Math.PI), 1e-15);
    expect(half.std).to.be.closeTo(Math.sqrt(1 - 2 / Math.PI), 1e-15);
    // γ̂ = mean_s mean(g_s²) / mean(W²): with W = [1e-200], g = [1e-200], [0] it is exactly ½ (the squares underflow)
    expect(empiricalGamma([1e-200], [[1e-200], [0]])).to.equal(0.5);
    // W = [1.9e-219], g = [0], [2.4e-102]: γ̂ = (2.4e-102 / 1.9e-219)² / 2 ≈ 8e232, finite (was Infinity)
    const g = empiricalGamma(Float64Array.from([1.9e-219]), [Float64Array.from([0]), Float64Array.from([2.4e-102])]);
    expect(Math.abs(g / ((2.4e-102 / 1.9e-219) ** 2 / 2) - 1)).to.be.below(1e-15);
    expect(() => empiricalGamma([0, 0], [[1, 1]])).to.throw(DomainError, /W must not be all zeros/);
  });

  it('validated wrappers return what the unchecked loops return (bit for bit)', () => {
    const x = Float64Array.from([0.3, -1.2, 2.5, 0.7]);
    const t = mlpTrace(net, x, 2);
    const z0 = denseForwardRows(x, 2, net[0]!);
    expect(Array.from(t.pre[0]!)).to.deep.equal(Array.from(z0));
    expect(Array.from(mlpForward(net, x.subarray(0, 2)))).to.deep.equal(Array.from(t.pre[1]!.subarray(0, 1)));
    expect(numel([2, 3, 4])).to.equal(24);
    expect(numel([2, 0, 1e300, 1e300])).to.equal(0);
    expect(mlpWidths(net)).to.deep.equal([2, 3, 1]);
    expect(mlpNumParams(net)).to.equal(3 * 2 + 3 + 3 + 1);
  });
});
