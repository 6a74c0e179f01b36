// Unknown option keys: every registered initializer and every public src/init function that takes an options record
// rejects a key it does not read with a DomainError naming the key, the function and the allowed keys
// (params.ts `checkedOptions`); `undefined`-valued keys count as "not given".
import { expect } from 'chai';
import fc from 'fast-check';
import { DomainError } from '../../../src/core/errors.js';
import {
  balanceWeights,
  booleanParam,
  checkedOptions,
  computeFans,
  constant,
  createRng,
  dirac,
  enormRescale,
  eye,
  fractionalMomentNormal,
  geometricInit,
  glorotNormal,
  glorotUniform,
  heNormal,
  heNormalMlp,
  heUniform,
  initializeNetwork,
  kaimingNormal,
  kaimingUniform,
  kerasDefault,
  lecunNormal,
  lecunUniform,
  listInitializers,
  logNormDrift,
  lpsConv2d,
  lpsDense,
  lpsInitMLP,
  mlpOps,
  normal,
  ones,
  orthogonal,
  outputScaleFactor,
  pathCondRescale,
  registerInitializer,
  resolveActivation,
  scalingReport,
  sigmaS,
  sparse,
  torchDefaultBias,
  torchDefaultLinear,
  truncatedNormal,
  uniform,
  varianceScaling,
  varianceScalingParams,
  xavierNormal,
  xavierUniform,
  zeros,
  type FractionalActivationSpec,
  type InitContext,
  type InitOptions,
  type InitializerEntry,
  type ScalingOp,
  type Shape,
} from '../../../src/init/index.js';

const BOGUS = 'bogusOption';
const dense: Shape[] = [[6, 4], [5, 6], [3, 5]];
const rng0 = createRng(11);
const xData = Float64Array.from({ length: 40 * 4 }, () => rng0.nextNormal());
const dataCtx: InitContext = { data: { x: xData, shape: [40, 4] } };

/**
 * Per registered entry: valid shapes, context, and an options record using every option the entry documents
 * (so they are all shown to still work); `extraAllowed` lists accepted keys not used in `options`.
 */
interface Case {
  readonly shapes?: Shape[];
  readonly context?: InitContext;
  readonly options: InitOptions;
  readonly extraAllowed?: readonly string[];
}
const NAMED = { layout: 'torch', compat: 'none', dtype: 'float64' } as const;
const CASES: { readonly [name: string]: Case } = {
  zeros: { options: { dtype: 'float64' } },
  ones: { options: { dtype: 'float64' } },
  constant: { options: { value: 0.25, dtype: 'float64' } },
  uniform: { options: { a: -1, b: 2, dtype: 'float64' } },
  normal: { options: { mean: 0.5, std: 2, dtype: 'float64' } },
  truncated_normal: { options: { mean: 0, std: 1, a: -1, b: 1.5, dtype: 'float64' } },
  variance_scaling: { options: { scale: 2, mode: 'fan_out', distribution: 'uniform', ...NAMED } },
  lecun_normal: { options: NAMED },
  lecun_uniform: { options: NAMED },
  glorot_normal: { options: { gain: 1.5, ...NAMED } },
  glorot_uniform: { options: { gain: 1.5, ...NAMED } },
  xavier_normal: { options: { gain: 1.5, ...NAMED } },
  xavier_uniform: { options: { gain: 1.5, ...NAMED } },
  he_normal: { options: { mode: 'fan_out', ...NAMED } },
  he_uniform: { options: { mode: 'fan_out', ...NAMED } },
  kaiming_normal: { options: { a: 0.1, mode: 'fan_out', nonlinearity: 'leaky_relu', ...NAMED } },
  kaiming_uniform: { options: { a: 0.1, mode: 'fan_out', nonlinearity: 'leaky_relu', ...NAMED } },
  torch_default_linear: { options: NAMED },
  orthogonal: { options: { gain: Math.SQRT2, dtype: 'float64' } },
  eye: { options: { gain: 2, dtype: 'float64' } },
  dirac: { shapes: [[4, 2, 3, 3]], options: { groups: 2, dtype: 'float64' } },
  sparse: { options: { sparsity: 0.5, std: 0.1, dtype: 'float64' } },
  geometric: { options: { gain: 2, distribution: 'normal', layout: 'torch', compat: 'none', dtype: 'float64' } },
  fractional: { options: { act: { kind: 'leaky_relu', a: 0.2 }, s: 1.5, mode: 'fan_in', layout: 'torch', compat: 'exact', dtype: 'float64' } },
  scaling_balanced: {
    options: { gain: 2, distribution: 'uniform', layout: 'torch', compat: 'none', dtype: 'float64' },
    extraAllowed: ['base'],
  },
  pathcond_after_he: { options: { maxSweeps: 3, tol: 1e-3, eps: 1e-6, zClamp: 30, bias: 'none', dtype: 'float64' } },
  enorm_after_he: { options: { cycles: 2, asymmetry: 1.2, tol: 1e-6, variant: 'reference-code', bias: 'zeros', dtype: 'float64' } },
  lps_r: { context: dataCtx, options: { mode: 'faithful', kMax: 8, q: 2, anchorTol: 1e-6, allowSmallBatch: true, dtype: 'float64' } },
  lps_r_plus: { context: dataCtx, options: { mode: 'plus', kMax: 8, q: 2, anchorTol: 1e-6, allowSmallBatch: true, dtype: 'float64' } },
  meanfield: { options: { gammas: [0.75, 1], outputInit: 'centered', bias: 'torch-default', fold: true, dtype: 'float64' } },
  mup: { options: { baseWidth: [3, 5], gain: 1, readoutZeroInit: true, outputMult: 2, dtype: 'float64' } },
  lsuv: { context: dataCtx, options: { tol: 0.05, maxIter: 20, activation: 'tanh', dtype: 'float64' } },
};

const builtins = (): InitializerEntry[] => listInitializers().filter((e) => !e.name.startsWith('test_'));
const caseOf = (name: string): Case => {
  const c = CASES[name];
  if (c === undefined) throw new Error(`no test case for registered initializer ${name}: add one to CASES`);
  return c;
};
const run = (name: string, c: Case, options: InitOptions) => initializeNetwork(name, c.shapes ?? dense, createRng(3), options, c.context ?? {});

/** The `allowed:` list of an unknown-option message. */
function allowedOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(DomainError);
    const m = /; allowed: (.*)$/.exec((e as Error).message);
    expect(m, (e as Error).message).to.not.equal(null);
    return (m as RegExpExecArray)[1]!.split(', ');
  }
  throw new Error('expected a DomainError');
}

/** `fn` throws a DomainError naming `${arg}.${key}` and `fnName`. */
function rejects(fn: () => unknown, key: string, fnName: string, arg = 'options'): void {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  expect(fn).to.throw(DomainError, new RegExp(`^unknown option ${esc(arg)}\\.${esc(key)} for ${esc(fnName)}\\b.*; allowed: `));
}

describe('init/options: registered initializers reject unknown option keys', () => {
  it('every registered initializer has a case here (new entries must be added)', () => {
    for (const e of builtins()) caseOf(e.name);
  });

  it('every documented option still works (one call per entry with all of them)', () => {
    for (const e of builtins()) {
      const c = caseOf(e.name);
      const layers = run(e.name, c, c.options);
      expect(layers.length, e.name).to.equal((c.shapes ?? dense).length);
      for (const l of layers) expect(l.W, e.name).to.be.instanceOf(Float64Array);
    }
  });

  it('an extra key is a DomainError naming it; undefined-valued keys are ignored', () => {
    for (const e of builtins()) {
      const c = caseOf(e.name);
      expect(() => run(e.name, c, { ...c.options, [BOGUS]: 1 }), e.name).to.throw(DomainError, new RegExp(`unknown option options\\.${BOGUS} for `));
      expect(() => run(e.name, c, { [BOGUS]: 'x', ...c.options }), e.name).to.throw(DomainError, new RegExp(BOGUS));
      expect(() => run(e.name, c, { ...c.options, [BOGUS]: undefined }), e.name).to.not.throw();
    }
  });

  it('the allowed list in the message is exactly what the entry accepts (documented options + extraAllowed)', () => {
    for (const e of builtins()) {
      const c = caseOf(e.name);
      const allowed = allowedOf(() => run(e.name, c, { ...c.options, [BOGUS]: 1 }));
      expect([...allowed].sort(), e.name).to.deep.equal([...Object.keys(c.options), ...(c.extraAllowed ?? [])].sort());
      expect(allowed, e.name).to.include('dtype'); // initializeNetwork reads options.dtype for tensor entries
    }
  });

  it('the brief\'s examples: misspelt keys of fractional / variance scaling / pathcond via the registry', () => {
    expect(() => initializeNetwork('fractional', dense, createRng(1), { activation: 'leaky_relu' })).to.throw(
      DomainError,
      'unknown option options.activation for fractionalMomentNormal; allowed: act, s, mode, layout, compat, dtype',
    );
    expect(() => initializeNetwork('variance_scaling', dense, createRng(1), { mod: 'fan_out' })).to.throw(DomainError, /options\.mod for varianceScaling \(did you mean mode\?\)/);
    expect(() => initializeNetwork('pathcond_after_he', dense, createRng(1), { maxSweep: 3 })).to.throw(DomainError, /options\.maxSweep for pathcond_after_he \(did you mean maxSweeps\?\)/);
    // the wrappers do not accept the keys they fix themselves (they used to be overridden silently)
    expect(() => initializeNetwork('he_normal', dense, createRng(1), { scale: 3 })).to.throw(DomainError, /options\.scale for heNormal/);
    expect(() => initializeNetwork('lecun_normal', dense, createRng(1), { distribution: 'uniform' })).to.throw(DomainError, /options\.distribution for lecunNormal/);
    expect(() => initializeNetwork('pathcond_after_he', dense, createRng(1), { recordUpdates: true })).to.throw(DomainError, /recordUpdates for pathcond_after_he/);
  });

  it('scaling_balanced: a caller-supplied base receives (and validates) the other keys', () => {
    const got = initializeNetwork('scaling_balanced', dense, createRng(2), { base: heNormal, mode: 'fan_out', dtype: 'float64' });
    expect(got).to.have.length(3);
    expect(() => initializeNetwork('scaling_balanced', dense, createRng(2), { base: heNormal, [BOGUS]: 1 })).to.throw(DomainError, /options\.bogusOption for heNormal/);
    expect(() => initializeNetwork('scaling_balanced', dense, createRng(2), { [BOGUS]: 1 })).to.throw(DomainError, /for scaling_balanced; allowed: base, gain/);
  });
});

describe('init/options: public functions reject unknown option keys', () => {
  const r = () => createRng(5);
  const mlp = () => heNormalMlp([[4, 3], [2, 4]], createRng(1));
  const batch = { rows: 12, cols: 3, data: Float64Array.from({ length: 36 }, (_, i) => Math.sin(i + 1)) };
  const img = { data: Float64Array.from({ length: 2 * 2 * 5 * 5 }, (_, i) => Math.cos(i)), shape: [2, 2, 5, 5] as const };
  const ops = mlpOps([4, 6, 3]);

  /** [function name, call with the given extra record merged into valid options, argument name]. */
  const calls: [string, (extra: InitOptions) => unknown, string?][] = [
    ['zeros', (x) => zeros([2, 3], { ...x })],
    ['ones', (x) => ones([2, 3], { ...x })],
    ['constant', (x) => constant([2, 3], 1.5, { ...x })],
    ['uniform', (x) => uniform([2, 3], r(), { a: -1, ...x })],
    ['normal', (x) => normal([2, 3], r(), { std: 2, ...x })],
    ['truncatedNormal', (x) => truncatedNormal([2, 3], r(), { std: 2, ...x })],
    ['eye', (x) => eye([3, 3], { gain: 2, ...x })],
    ['dirac', (x) => dirac([2, 2, 3], { groups: 1, ...x })],
    ['sparse', (x) => sparse([4, 3], r(), { sparsity: 0.5, ...x })],
    ['orthogonal', (x) => orthogonal([3, 4], r(), { gain: 2, ...x })],
    ['varianceScaling', (x) => varianceScaling([3, 4], r(), { mode: 'fan_out', ...x })],
    ['varianceScalingParams', (x) => varianceScalingParams([3, 4], { mode: 'fan_out', ...x })],
    ['lecunNormal', (x) => lecunNormal([3, 4], r(), { dtype: 'float64', ...x })],
    ['lecunUniform', (x) => lecunUniform([3, 4], r(), { dtype: 'float64', ...x })],
    ['glorotNormal', (x) => glorotNormal([3, 4], r(), { gain: 2, ...x })],
    ['glorotUniform', (x) => glorotUniform([3, 4], r(), { gain: 2, ...x })],
    ['xavierNormal', (x) => xavierNormal([3, 4], r(), { gain: 2, ...x })],
    ['xavierUniform', (x) => xavierUniform([3, 4], r(), { gain: 2, ...x })],
    ['heNormal', (x) => heNormal([3, 4], r(), { mode: 'fan_out', ...x })],
    ['heUniform', (x) => heUniform([3, 4], r(), { mode: 'fan_out', ...x })],
    ['kaimingNormal', (x) => kaimingNormal([3, 4], r(), { a: 0.2, ...x })],
    ['kaimingUniform', (x) => kaimingUniform([3, 4], r(), { a: 0.2, ...x })],
    ['torchDefaultLinear', (x) => torchDefaultLinear([3, 4], r(), { layout: 'keras', ...x })],
    ['torchDefaultBias', (x) => torchDefaultBias([3, 4], r(), { dtype: 'float64', ...x })],
    ['kerasDefault', (x) => kerasDefault([3, 4], r(), { gain: 2, ...x })],
    ['computeFans', (x) => computeFans([3, 4, 3], { transposed: true, ...x }), 'layoutOrOptions'],
    ['geometricInit', (x) => geometricInit([3, 4], r(), { gain: 2, ...x })],
    ['fractionalMomentNormal', (x) => fractionalMomentNormal([3, 4], r(), { s: 1.5, ...x })],
    ['sigmaS', (x) => sigmaS('relu', 8, 1, { compat: 'authors-code', ...x })],
    ['logNormDrift', (x) => logNormDrift('relu', 8, 1, { method: 'auto', ...x })],
    ['resolveActivation', (x) => resolveActivation({ kind: 'leaky_relu', a: 0.1, ...x } as FractionalActivationSpec), 'act'],
    ['scalingReport', (x) => scalingReport(ops, { inputShape: [4], scheme: 'fan_in', ...x })],
    ['scalingReport', (x) => scalingReport(ops, { inputShape: [4], measured: { qIn: [1, 1], ...x } }), 'options.measured'],
    ['scalingReport', (x) => scalingReport([{ kind: 'dense', nIn: 4, nOut: 6, weightVar: 0.5, ...x } as ScalingOp], { inputShape: [4] }), 'ops[0]'],
    ['balanceWeights', (x) => balanceWeights(ops, [new Float64Array(24).fill(0.1), new Float64Array(18).fill(0.2)], { inputShape: [4], ...x })],
    ['outputScaleFactor', (x) => outputScaleFactor(scalingReport(ops, { inputShape: [4] }), 2, { balanced: true, ...x }), 'opts'],
    ['pathCondRescale', (x) => pathCondRescale(mlp(), { maxSweeps: 3, ...x })],
    ['enormRescale', (x) => enormRescale(mlp(), { cycles: 2, ...x })],
    ['lpsDense', (x) => lpsDense(batch, 5, r(), { q: 2, ...x })],
    ['lpsConv2d', (x) => lpsConv2d(img, 3, 3, 3, r(), { stride: 1, pad: 1, ...x })],
    ['lpsInitMLP', (x) => lpsInitMLP([3, 5, 2], batch, r(), { allowSmallBatch: false, ...x })],
    ['listInitializers', (x) => listInitializers({ kind: 'tensor', ...x }), 'filter'],
    ['registerInitializer', (x) => registerInitializer(builtins()[0]!, { replace: true, ...x }), 'opts'],
  ];

  for (const [fnName, call, arg] of calls) {
    it(`${fnName}${arg && arg !== 'options' ? ` (${arg})` : ''}: valid options work, an extra key is rejected, undefined is ignored`, () => {
      call({});
      call({ [BOGUS]: undefined });
      rejects(() => call({ [BOGUS]: 1 }), BOGUS, fnName, arg);
    });
  }

  it('a near miss gets a "did you mean" hint, a distant one does not', () => {
    expect(() => pathCondRescale(mlp(), { maxSweep: 3 } as object)).to.throw(DomainError, 'unknown option options.maxSweep for pathCondRescale (did you mean maxSweeps?); allowed: maxSweeps, tol, eps, zClamp, recordUpdates');
    expect(() => varianceScaling([3, 4], r(), { Mode: 'fan_out' } as object)).to.throw(DomainError, /\(did you mean mode\?\)/);
    expect(() => enormRescale(mlp(), { zzz: 1 } as object)).to.throw(DomainError, /^unknown option options\.zzz for enormRescale; allowed: cycles, variant, asymmetry, tol$/);
    expect(() => resolveActivation({ kind: 'leaky_relu', slope: 0.2 } as unknown as FractionalActivationSpec)).to.throw(DomainError, /unknown option act\.slope for resolveActivation; allowed: kind, a/);
  });

  it('checkedOptions: rejects exactly the keys outside the allowed list whose value is defined (property)', () => {
    const key = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k !== '__proto__');
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 6 }), fc.dictionary(key, fc.option(fc.integer(), { nil: undefined })), (allowed, rec) => {
        const bad = Object.keys(rec).filter((k) => rec[k] !== undefined && !allowed.includes(k));
        if (bad.length === 0) {
          expect(checkedOptions('f', rec, allowed)).to.equal(rec);
        } else {
          expect(() => checkedOptions('f', rec, allowed)).to.throw(DomainError, `unknown option options.${bad[0]} for f`);
        }
      }),
      { numRuns: 300 },
    );
    expect(() => checkedOptions('f', null, ['a'])).to.throw(DomainError, /options must be an object, got null/);
    expect(() => checkedOptions('f', { b: 1 }, [])).to.throw(DomainError, /allowed: \(none\)$/);
  });
});

describe('init/options: booleanParam', () => {
  it('a boolean or the default; anything else is a DomainError naming the argument and the value', () => {
    expect(booleanParam('opts.x', true)).to.equal(true);
    expect(booleanParam('opts.x', undefined, false)).to.equal(false);
    expect(() => booleanParam('opts.x', undefined)).to.throw(DomainError, 'opts.x must be a boolean (true or false), got undefined');
    expect(() => booleanParam('opts.x', 'yes', false)).to.throw(DomainError, 'opts.x must be a boolean (true or false), got "yes"');
  });
});
