// Defazio & Bottou scaling calculus, spec/defazio_scaling_calculus.md §4–§8: "scaling calculus γ (reconstruction
// after Defazio & Bottou)". Golden values G1–G3, the property list of §8, held-out architectures checked against an
// independent computation (forward moments + κ bookkeeping, γ = ς/(D·s²) of §4.2), and a small Monte-Carlo check.
import { expect } from 'chai';
import fc from 'fast-check';
import { DomainError, ShapeError } from '../../../src/core/errors.js';
import {
  balancedOps,
  balanceVariances,
  balanceWeights,
  empiricalGamma,
  lrMultipliers,
  maxPoolFactor,
  mlpOps,
  outputScaleFactor,
  SCALING_CALCULUS_TITLE,
  scalingReport,
  type ScalingOp,
  type ScalingReportOptions,
} from '../../../src/init/scaling/index.js';
import { createRng } from '../../../src/init/support/rng.js';
import { kaimingNormal } from '../../../src/init/classic/variance.js';

const FC = { seed: 1906, numRuns: 60 } as const;
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);
const gammas = (ops: ScalingOp[], o: ScalingReportOptions): number[] => scalingReport(ops, o).layers.map((l) => l.gamma);

const widthsArb = fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: 2, maxLength: 10 });
const mlp = (w: number[]): ScalingReportOptions => ({ inputShape: [w[0] as number] });

const G3: ScalingOp[] = [
  { kind: 'conv2d', cIn: 3, cOut: 16, kH: 3, kW: 3 },
  { kind: 'relu' },
  { kind: 'conv2d', cIn: 16, cOut: 32, kH: 3, kW: 3, sH: 2, sW: 2 },
  { kind: 'relu' },
  { kind: 'conv2d', cIn: 32, cOut: 64, kH: 3, kW: 3, sH: 2, sW: 2 },
  { kind: 'relu' },
  { kind: 'flatten' },
  { kind: 'dense', nIn: 4096, nOut: 10 },
];

describe('init/defazio: golden values (§8, G1–G3)', () => {
  const W = [784, 512, 256, 10];
  it('G1 fan-in: γ = [7.65625, 10, 128], ς = 20; one-shot correction: γ = 21.3997, variances 0.4834× geometric', () => {
    const r = scalingReport(mlpOps(W), { inputShape: [784], scheme: 'fan_in' });
    [7.65625, 10, 128].forEach((g, i) => expect(rel(r.layers[i]!.gamma, g)).to.be.below(1e-13));
    for (const t of r.tensors) expect(rel(t.varsigma, 20)).to.be.below(1e-13);
    const b = scalingReport(balancedOps(mlpOps(W), r), { inputShape: [784], scheme: 'given' });
    for (const l of b.layers) {
      expect(rel(l.gamma, 21.3997)).to.be.below(5e-6); // printed to 6 significant digits
      expect(rel(l.weightVar / (2 / Math.sqrt(l.fanIn * l.fanOut)), 0.4834)).to.be.below(1e-4);
    }
  });

  it('G2: fan-out [256, 196, 15.3125] ς 1568; arithmetic [16.2406, 17.4659, 107.2757] ς 62.1009; geometric √7840/2 ς 177.0875', () => {
    const fo = scalingReport(mlpOps(W), { inputShape: [784], scheme: 'fan_out' });
    [256, 196, 15.3125].forEach((g, i) => expect(rel(fo.layers[i]!.gamma, g)).to.be.below(1e-13));
    expect(rel(fo.tensors[0]!.varsigma, 1568)).to.be.below(1e-13);
    const ar = scalingReport(mlpOps(W), { inputShape: [784], scheme: 'arith' });
    [16.2406, 17.4659, 107.2757].forEach((g, i) => expect(rel(ar.layers[i]!.gamma, g)).to.be.below(5e-6));
    expect(rel(ar.tensors[0]!.varsigma, 62.1009)).to.be.below(5e-6);
    const ge = scalingReport(mlpOps(W), { inputShape: [784], scheme: 'geom' });
    for (const l of ge.layers) expect(rel(l.gamma, Math.sqrt(7840) / 2)).to.be.below(1e-13);
    expect(rel(ge.tensors[0]!.varsigma, 177.0875)).to.be.below(5e-6);
    expect(ge.balanced).to.equal(true);
    expect(ge.title).to.equal(SCALING_CALCULUS_TITLE);
    expect(ge.verdict).to.contain('reconstruction after Defazio & Bottou');
  });

  it('G3 convnet: standard fans γ = [197.18 ×3, 21.909]; gr-balanced γ = 591.54 everywhere', () => {
    const s = gammas(G3, { inputShape: [3, 32, 32] });
    [197.18, 197.18, 197.18, 21.909].forEach((g, i) => expect(rel(s[i]!, g)).to.be.below(5e-5));
    expect(rel(s[0]! / s[3]!, 9)).to.be.below(1e-12); // §8.11: a 3×3 conv's γ is 9× the dense head's
    for (const g of gammas(G3, { inputShape: [3, 32, 32], convFanConvention: 'gr-balanced' })) expect(rel(g, 591.54)).to.be.below(1e-5);
  });
});

/** Random plain chains of dense / conv (any stride) / relu / flatten / scale ops with random positive variances. */
const chainArb = fc
  .record({
    c0: fc.integer({ min: 1, max: 6 }),
    hw: fc.integer({ min: 4, max: 20 }),
    convs: fc.array(
      fc.record({
        cOut: fc.integer({ min: 1, max: 12 }),
        k: fc.integer({ min: 1, max: 5 }),
        s: fc.integer({ min: 1, max: 2 }),
        v: fc.double({ min: 1e-3, max: 10, noNaN: true }),
        relu: fc.boolean(),
        beta: fc.option(fc.double({ min: 0.2, max: 3, noNaN: true }), { nil: undefined }),
      }),
      { maxLength: 4 },
    ),
    dense: fc.array(fc.record({ n: fc.integer({ min: 1, max: 300 }), v: fc.double({ min: 1e-4, max: 10, noNaN: true }) }), {
      minLength: 1,
      maxLength: 4,
    }),
    q: fc.double({ min: 0.01, max: 100, noNaN: true }),
    r: fc.double({ min: 0.01, max: 100, noNaN: true }),
  })
  .map((x) => {
    const ops: ScalingOp[] = [];
    let c = x.c0;
    let h = x.hw;
    let w = x.hw + 3;
    for (const cv of x.convs) {
      ops.push({ kind: 'conv2d', cIn: c, cOut: cv.cOut, kH: cv.k, kW: cv.k, sH: cv.s, sW: cv.s, weightVar: cv.v });
      c = cv.cOut;
      h = Math.ceil(h / cv.s);
      w = Math.ceil(w / cv.s);
      if (cv.relu) ops.push({ kind: 'relu' });
      if (cv.beta !== undefined) ops.push({ kind: 'scale', beta: cv.beta });
    }
    ops.push({ kind: 'flatten' });
    let n = c * h * w;
    x.dense.forEach((d, i) => {
      if (i > 0) ops.push({ kind: 'relu' });
      ops.push({ kind: 'dense', nIn: n, nOut: d.n, weightVar: d.v });
      n = d.n;
    });
    return { ops, options: { inputShape: [x.c0, x.hw, x.hw + 3], inputSecondMoment: x.q, outputGradSecondMoment: x.r, scheme: 'given' } as ScalingReportOptions };
  });

describe('init/defazio: properties of §8', () => {
  it('1. ς is conserved on every tensor of plain chains (any variances, strides, scalars), κ = 1', () => {
    fc.assert(
      fc.property(chainArb, ({ ops, options }) => {
        const r = scalingReport(ops, options);
        const s0 = r.tensors[0]!.varsigma;
        for (const t of r.tensors) expect(rel(t.varsigma, s0)).to.be.below(1e-12);
        for (const k of r.kappa) expect(Math.abs(k - 1)).to.be.below(1e-12);
      }),
      FC,
    );
  });

  it('2–3. geometric init balances every MLP; γ = q·r·(g/2)^(L−1)·√(n_0·n_L)/g (g = 2: independent of depth and widths)', () => {
    fc.assert(
      fc.property(widthsArb, fc.double({ min: 0.5, max: 4, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true }), (w, g, q, rr) => {
        const L = w.length - 1;
        const o = { inputShape: [w[0]!], gain: g, inputSecondMoment: q, outputGradSecondMoment: rr };
        const r = scalingReport(mlpOps(w), o);
        expect(r.gammaRatio).to.be.at.most(1 + 1e-12);
        expect(r.balanced).to.equal(true);
        const want = (q * rr * Math.pow(g / 2, L - 1) * Math.sqrt(w[0]! * w[L]!)) / g;
        for (const l of r.layers) expect(rel(l.gamma, want)).to.be.below(1e-12);
      }),
      FC,
    );
  });

  it('4. geometric, g = 2: E[f²] = 2·q_in·√(n_0/n_L) and r(x_0) = 2·r_out·√(n_L/n_0)', () => {
    fc.assert(
      fc.property(widthsArb, fc.double({ min: 0.1, max: 10, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true }), (w, q, rr) => {
        const L = w.length - 1;
        const r = scalingReport(mlpOps(w), { inputShape: [w[0]!], inputSecondMoment: q, outputGradSecondMoment: rr });
        expect(rel(r.outputSecondMoment, 2 * q * Math.sqrt(w[0]! / w[L]!))).to.be.below(1e-12);
        expect(rel(r.inputGradSecondMoment, 2 * rr * Math.sqrt(w[L]! / w[0]!))).to.be.below(1e-12);
      }),
      FC,
    );
  });

  it('5. closed-form ratios: fan-in ∝ n_in/n_out, fan-out ∝ n_out/n_in, arithmetic ∝ (AM/GM)²', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: 3, maxLength: 10 }), (w) => {
        const L = w.length - 1;
        const fi = gammas(mlpOps(w), { ...mlp(w), scheme: 'fan_in' });
        const fo = gammas(mlpOps(w), { ...mlp(w), scheme: 'fan_out' });
        const ar = gammas(mlpOps(w), { ...mlp(w), scheme: 'arith' });
        for (let l = 1; l < L; l++) {
          const [a, b, c, d] = [w[0]!, w[1]!, w[l]!, w[l + 1]!];
          expect(rel(fi[l]! / fi[0]!, c / d / (a / b))).to.be.below(1e-12);
          expect(rel(fo[l]! / fo[0]!, d / c / (b / a))).to.be.below(1e-12);
          const amgm = (x: number, y: number): number => ((x + y) / 2) ** 2 / (x * y);
          expect(rel(ar[l]! / ar[0]!, amgm(c, d) / amgm(a, b))).to.be.below(1e-12);
        }
      }),
      FC,
    );
  });

  it('6. square layers: the four schemes give variance 2/n; constant-width MLPs are balanced under all schemes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 2, max: 10 }), (n, depth) => {
        const w = new Array<number>(depth).fill(n);
        for (const scheme of ['fan_in', 'fan_out', 'arith', 'geom'] as const) {
          const r = scalingReport(mlpOps(w), { inputShape: [n], scheme });
          for (const l of r.layers) expect(rel(l.weightVar, 2 / n)).to.be.below(1e-15);
          expect(r.gammaRatio).to.be.at.most(1 + 1e-12);
        }
      }),
      { ...FC, numRuns: 30 },
    );
  });

  it('7. γ ratios invariant under: common variance scale, q_in, r_out, an inserted scalar β (γ × β²), stride / spatial size', () => {
    fc.assert(
      fc.property(chainArb, fc.double({ min: 0.1, max: 10, noNaN: true }), fc.double({ min: 0.2, max: 5, noNaN: true }), ({ ops, options }, c, beta) => {
        const base = gammas(ops, options);
        const ratios = (g: number[]): number[] => g.map((x) => x / g[0]!);
        const scaled = ops.map((op) => ('weightVar' in op && op.weightVar !== undefined ? { ...op, weightVar: op.weightVar * c } : op)) as ScalingOp[];
        ratios(gammas(scaled, options)).forEach((x, i) => expect(rel(x, ratios(base)[i]!)).to.be.below(1e-12));
        ratios(gammas(ops, { ...options, inputSecondMoment: 7 * options.inputSecondMoment!, outputGradSecondMoment: 0.3 })).forEach((x, i) =>
          expect(rel(x, ratios(base)[i]!)).to.be.below(1e-12),
        );
        const withBeta: ScalingOp[] = [...ops.slice(0, 1), { kind: 'scale', beta }, ...ops.slice(1)];
        gammas(withBeta, options).forEach((x, i) => expect(rel(x, base[i]! * beta * beta)).to.be.below(1e-12));
      }),
      FC,
    );
    // stride and spatial size drop out of γ ratios in plain conv chains
    const conv = (s: number): ScalingOp[] => [
      { kind: 'conv2d', cIn: 3, cOut: 8, kH: 3, kW: 3, sH: s, sW: s },
      { kind: 'relu' },
      { kind: 'conv2d', cIn: 8, cOut: 4, kH: 5, kW: 5, sH: 1, sW: s },
    ];
    const a = gammas(conv(1), { inputShape: [3, 16, 16] });
    const b = gammas(conv(2), { inputShape: [3, 32, 8] });
    expect(rel(a[1]! / a[0]!, b[1]! / b[0]!)).to.be.below(1e-12);
  });

  it('8. single-layer sensitivity: s_l × t ⇒ γ_l × 1/t and γ_j × t', () => {
    fc.assert(
      fc.property(chainArb, fc.double({ min: 0.1, max: 10, noNaN: true }), fc.nat(), ({ ops, options }, t, pick) => {
        const base = scalingReport(ops, options);
        const l = pick % base.layers.length;
        const opIndex = base.layers[l]!.opIndex;
        const mod = ops.map((op, i) => (i === opIndex ? { ...op, weightVar: (op as { weightVar: number }).weightVar * t } : op)) as ScalingOp[];
        const g = gammas(mod, options);
        g.forEach((x, j) => expect(rel(x, base.layers[j]!.gamma * (j === l ? 1 / t : t))).to.be.below(1e-12));
      }),
      FC,
    );
  });

  it('9. one-shot balancing: equal γ afterwards; MLP variances ∝ 1/√(n_in·n_out); idempotent', () => {
    fc.assert(
      fc.property(chainArb, ({ ops, options }) => {
        const r = scalingReport(ops, options);
        const b = scalingReport(balancedOps(ops, r), options);
        expect(b.gammaRatio).to.be.at.most(1 + 1e-12);
        const bb = balanceVariances(b);
        b.layers.forEach((l, i) => expect(rel(bb[i]!, l.weightVar)).to.be.below(1e-12));
        // λ_l² · γ_l = γ_ref
        lrMultipliers(r).forEach((lam, i) => expect(rel(lam * lam * r.layers[i]!.gamma, r.gammaRef)).to.be.below(1e-12));
      }),
      FC,
    );
    fc.assert(
      fc.property(widthsArb, fc.constantFrom('fan_in', 'fan_out', 'arith'), (w, scheme) => {
        const r = scalingReport(mlpOps(w), { ...mlp(w), scheme: scheme as 'fan_in' });
        const v = balanceVariances(r);
        const ratio = r.layers.map((l, i) => v[i]! * Math.sqrt(l.fanIn * l.fanOut));
        for (const x of ratio) expect(rel(x, ratio[0]!)).to.be.below(1e-12);
      }),
      FC,
    );
  });

  it('10. fixed multiplier: Var(V) = s_eff/α² gives γ_V = α⁴·γ_Weff and unchanged forward q', () => {
    fc.assert(
      fc.property(widthsArb, fc.double({ min: 0.1, max: 10, noNaN: true }), fc.nat(), (w, alpha, pick) => {
        const base = scalingReport(mlpOps(w), mlp(w));
        const l = pick % base.layers.length;
        const ops = mlpOps(
          w,
          base.layers.map((x) => x.weightVar),
        ).map((op, i) => (i === base.layers[l]!.opIndex ? { ...(op as object), mult: alpha, weightVar: base.layers[l]!.weightVar / (alpha * alpha) } : op)) as ScalingOp[];
        const r = scalingReport(ops, { ...mlp(w), scheme: 'given' });
        expect(rel(r.layers[l]!.gamma, alpha ** 4 * base.layers[l]!.gamma)).to.be.below(1e-12);
        r.tensors.forEach((t, i) => expect(rel(t.q, base.tensors[i]!.q)).to.be.below(1e-12));
      }),
      FC,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Held-out architectures (not in the spec), checked against an independent computation written here:
// forward second moments only, ς at the output, ς below each op divided by its κ, and γ_l = ς_l/(D_l·s_l²) (§4.2)
// with D = n_in·n_out (dense) or c_in·c_out·k_h·k_w (conv, standard fans). κ_max values embedded from scipy.
// ---------------------------------------------------------------------------------------------------------------

// scipy.integrate.quad of 2·∫₀^∞ x²·w·φ(x)Φ(x)^(w−1) dx (uncentred ReLU inputs) and ∫_ℝ (centred), epsrel 1e-13.
const KMAX_SCIPY: Record<string, number> = {
  'uncentered-relu:4': 3.087570023171409,
  'uncentered-relu:9': 5.125118255484744,
  'centered:4': 1.551328895421792,
  'centered:9': 2.5626174182924912,
};

function independentGammas(ops: ScalingOp[], inputShape: number[], q0: number, rOut: number, model: 'uncentered-relu' | 'centered'): number[] {
  const rho = model === 'centered' ? 0 : 1 / Math.PI;
  let shape = inputShape.slice();
  let q = q0;
  const kappas: number[] = [];
  const layerAt: { D: number; s: number; opIndex: number }[] = [];
  ops.forEach((op, i) => {
    let k = 1;
    switch (op.kind) {
      case 'dense':
        q *= op.nIn * op.weightVar!;
        layerAt.push({ D: op.nIn * op.nOut, s: op.weightVar!, opIndex: i });
        shape = [op.nOut];
        break;
      case 'conv2d':
        q *= op.cIn * op.kH * op.kW * op.weightVar!;
        layerAt.push({ D: op.cIn * op.cOut * op.kH * op.kW, s: op.weightVar!, opIndex: i });
        shape = [op.cOut, shape[1]! / (op.sH ?? 1), shape[2]! / (op.sW ?? 1)];
        break;
      case 'relu':
        q /= 2;
        break;
      case 'flatten':
        shape = [shape.reduce((a, b) => a * b, 1)];
        break;
      case 'scale':
        q *= op.beta * op.beta;
        break;
      case 'maxpool': {
        const w = op.p * op.p;
        k = KMAX_SCIPY[`${model}:${w}`]!;
        q *= k;
        shape = [shape[0]!, shape[1]! / op.p, shape[2]! / op.p];
        break;
      }
      case 'avgpool': {
        const w = op.p * op.p;
        k = w * rho + 1 - rho;
        q *= rho + (1 - rho) / w;
        shape = [shape[0]!, shape[1]! / op.p, shape[2]! / op.p];
        break;
      }
      case 'globalavgpool': {
        const w = shape[1]! * shape[2]!;
        k = w * rho + 1 - rho;
        q *= rho + (1 - rho) / w;
        shape = [shape[0]!];
        break;
      }
    }
    kappas.push(k);
  });
  const sigmaOut = shape.reduce((a, b) => a * b, 1) * q * rOut;
  return layerAt.map(({ D, s, opIndex }) => {
    let sig = sigmaOut;
    for (let j = opIndex; j < ops.length; j++) sig /= kappas[j]!; // ς at the layer input
    return sig / (D * s * s);
  });
}

describe('init/defazio: held-out architectures vs an independent computation (1e-9 relative)', () => {
  const nets: { name: string; ops: ScalingOp[]; input: number[] }[] = [
    {
      name: 'VGG-ish with max-pools and a 2-layer head',
      input: [3, 24, 24],
      ops: [
        { kind: 'conv2d', cIn: 3, cOut: 10, kH: 3, kW: 3, weightVar: 0.07 },
        { kind: 'relu' },
        { kind: 'maxpool', p: 2 },
        { kind: 'conv2d', cIn: 10, cOut: 14, kH: 5, kW: 3, weightVar: 0.011 },
        { kind: 'relu' },
        { kind: 'maxpool', p: 3 },
        { kind: 'flatten' },
        { kind: 'dense', nIn: 14 * 16, nOut: 33, weightVar: 0.004 },
        { kind: 'relu' },
        { kind: 'dense', nIn: 33, nOut: 7, weightVar: 0.05 },
      ],
    },
    {
      name: 'strided convs, avg-pool, scale, global average pool',
      input: [5, 16, 16],
      ops: [
        { kind: 'conv2d', cIn: 5, cOut: 12, kH: 3, kW: 3, sH: 2, sW: 2, weightVar: 0.03 },
        { kind: 'relu' },
        { kind: 'scale', beta: 1.7 },
        { kind: 'avgpool', p: 2 },
        { kind: 'conv2d', cIn: 12, cOut: 6, kH: 1, kW: 1, weightVar: 0.2 },
        { kind: 'relu' },
        { kind: 'globalavgpool' },
        { kind: 'dense', nIn: 6, nOut: 3, weightVar: 0.3 },
      ],
    },
  ];
  for (const net of nets)
    for (const model of ['uncentered-relu', 'centered'] as const) {
      it(`${net.name} (${model})`, () => {
        const r = scalingReport(net.ops, { inputShape: net.input, momentModel: model, scheme: 'given', inputSecondMoment: 1.3, outputGradSecondMoment: 0.6 });
        const ind = independentGammas(net.ops, net.input, 1.3, 0.6, model);
        r.layers.forEach((l, i) => expect(rel(l.gamma, ind[i]!), `layer ${i}`).to.be.below(1e-9));
      });
    }

  it('max-pool factors agree with scipy quadrature to 1e-12', () => {
    for (const [key, v] of Object.entries(KMAX_SCIPY)) {
      const [model, w] = key.split(':') as ['uncentered-relu' | 'centered', string];
      expect(rel(maxPoolFactor(Number(w), model), v)).to.be.below(1e-12);
    }
  });

  it('pooling q factors match a Monte-Carlo simulation of ReLU(N(0,1)) inputs (5 SE)', () => {
    const rng = createRng(31);
    const n = 40000;
    let sumMax = 0;
    let sumMax2 = 0;
    let sumAvg = 0;
    let sumAvg2 = 0;
    for (let i = 0; i < n; i++) {
      let mx = 0;
      let av = 0;
      for (let j = 0; j < 4; j++) {
        const x = Math.max(0, rng.nextNormal());
        mx = Math.max(mx, x);
        av += x / 4;
      }
      sumMax += mx * mx;
      sumMax2 += mx ** 4;
      sumAvg += av * av;
      sumAvg2 += av ** 4;
    }
    // E[x²] = 1/2 for x = ReLU(N(0,1)); SE of a mean of y² is sd(y²)/√n
    const check = (s: number, s2: number, want: number): void => {
      const m = s / n;
      const se = Math.sqrt((s2 / n - m * m) / n);
      expect(Math.abs(m / 0.5 - want)).to.be.below((5 * se) / 0.5);
    };
    check(sumMax, sumMax2, maxPoolFactor(4));
    check(sumAvg, sumAvg2, 1 / Math.PI + (1 - 1 / Math.PI) / 4);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Measured moments, one-shot balancing of actual weights, Monte-Carlo agreement
// ---------------------------------------------------------------------------------------------------------------

/** Per-sample forward/backward through a bias-free ReLU MLP (no ReLU after the last layer); returns mean γ̂ per layer. */
function monteCarloGamma(widths: number[], Ws: Float64Array[], N: number, seed: number): number[] {
  const rng = createRng(seed);
  const L = Ws.length;
  const acc = new Array<number>(L).fill(0);
  for (let t = 0; t < N; t++) {
    const xs: Float64Array[] = [Float64Array.from({ length: widths[0]! }, () => rng.nextNormal())];
    const pre: Float64Array[] = [];
    for (let l = 0; l < L; l++) {
      const nIn = widths[l]!;
      const nOut = widths[l + 1]!;
      const y = new Float64Array(nOut);
      const W = Ws[l]!;
      const x = xs[l]!;
      for (let i = 0; i < nOut; i++) {
        let s = 0;
        for (let j = 0; j < nIn; j++) s += W[i * nIn + j]! * x[j]!;
        y[i] = s;
      }
      pre.push(y);
      xs.push(l < L - 1 ? y.map((v) => Math.max(0, v)) : y);
    }
    let dy = Float64Array.from({ length: widths[L]! }, () => rng.nextNormal()); // r_out = 1
    for (let l = L - 1; l >= 0; l--) {
      const nIn = widths[l]!;
      const nOut = widths[l + 1]!;
      // per-sample ΔW = dy xᵀ: mean(ΔW²) = mean(dy²)·mean(x²)
      let sdy = 0;
      for (const v of dy) sdy += v * v;
      let sx = 0;
      for (const v of xs[l]!) sx += v * v;
      acc[l]! += (sdy / nOut) * (sx / nIn);
      if (l > 0) {
        const dx = new Float64Array(nIn);
        const W = Ws[l]!;
        for (let i = 0; i < nOut; i++) for (let j = 0; j < nIn; j++) dx[j]! += W[i * nIn + j]! * dy[i]!;
        const p = pre[l - 1]!;
        dy = dx.map((v, j) => (p[j]! > 0 ? v : 0));
      }
    }
  }
  return acc.map((a, l) => a / N / Ws[l]!.reduce((s, v) => s + v * v, 0) * Ws[l]!.length);
}

describe('init/defazio: measured moments and Monte-Carlo agreement', () => {
  it('measured moments replace the analytic ones in γ; analytic γ kept in gammaAnalytic', () => {
    const w = [20, 30, 10];
    const a = scalingReport(mlpOps(w), mlp(w));
    const m = scalingReport(mlpOps(w), { ...mlp(w), measured: { qIn: [1.1, 0.9], rOut: [2, 1], weightVar: [0.05, 0.1] } });
    expect(rel(m.layers[0]!.gamma, (1.1 * 2) / 0.05)).to.be.below(1e-15);
    expect(rel(m.layers[1]!.gamma, (0.9 * 1) / 0.1)).to.be.below(1e-15);
    m.layers.forEach((l, i) => expect(l.gammaAnalytic).to.equal(a.layers[i]!.gamma));
  });

  it('outputScaleFactor: a common variance factor sets E[f²] to a target and keeps the balance', () => {
    fc.assert(
      fc.property(chainArb, fc.double({ min: 0.01, max: 100, noNaN: true }), ({ ops, options }, target) => {
        const r = scalingReport(ops, options);
        const c = outputScaleFactor(r, target, { balanced: true });
        const b = scalingReport(balancedOps(ops, r, c), options);
        expect(rel(b.outputSecondMoment, target)).to.be.below(1e-12);
        expect(b.gammaRatio).to.be.at.most(1 + 1e-12);
      }),
      FC,
    );
  });

  it('empiricalGamma = mean over samples of mean(ΔW²) / mean(W²)', () => {
    const W = Float64Array.from([1, -1, 2, 0]);
    expect(empiricalGamma(W, [Float64Array.from([1, 1, 1, 1]), Float64Array.from([2, 0, 0, 0])])).to.equal(((1 + 1) / 2) / 1.5);
  });

  it('balanceWeights: any existing init (kaiming normal) is balanced in one shot', () => {
    const w = [64, 200, 90, 12];
    const Ws = w.slice(0, -1).map((n, l) => kaimingNormal([w[l + 1]!, n], createRng(l + 1), { dtype: 'float64' }) as Float64Array);
    const { weights, report, balancedReport } = balanceWeights(mlpOps(w), Ws, mlp(w));
    expect(report.gammaRatio).to.be.above(2);
    expect(balancedReport.gammaRatio).to.be.at.most(1 + 1e-12);
    expect(weights[0]).to.be.instanceOf(Float64Array);
  });

  it('Monte Carlo (N = 400 samples × 2 seeds): γ̂ within 15 % of the analytic γ; geometric γ̂ max/min < 1.2; fan-in spread > 10×', function () {
    this.timeout(60000);
    const widths = [64, 256, 512, 128, 32, 10];
    for (const scheme of ['geom', 'fan_in'] as const) {
      const rep = scalingReport(mlpOps(widths), { inputShape: [64], scheme });
      const est = new Array<number>(widths.length - 1).fill(0);
      for (const seed of [1, 2]) {
        const Ws = rep.layers.map((l, i) => {
          const r = createRng(1000 * seed + i);
          return Float64Array.from({ length: widths[i]! * widths[i + 1]! }, () => Math.sqrt(l.weightVar) * r.nextNormal());
        });
        monteCarloGamma(widths, Ws, 400, seed).forEach((g, i) => (est[i]! += g / 2));
      }
      est.forEach((g, i) => expect(rel(g, rep.layers[i]!.gamma), `${scheme} layer ${i}: ${g} vs ${rep.layers[i]!.gamma}`).to.be.below(0.15));
      const ratio = Math.max(...est) / Math.min(...est);
      if (scheme === 'geom') expect(ratio).to.be.below(1.2);
      else expect(ratio).to.be.above(10);
    }
  });
});

describe('init/defazio: bad input', () => {
  const o = { inputShape: [4] };
  it('typed errors naming the argument', () => {
    expect(() => scalingReport([{ kind: 'dense', nIn: 5, nOut: 3 }], o)).to.throw(ShapeError, /nIn = 5 does not match/);
    expect(() => scalingReport([{ kind: 'dense', nIn: 4, nOut: 3, mult: 0 }], o)).to.throw(DomainError, /mult must be non-zero/);
    expect(() => scalingReport([{ kind: 'dense', nIn: 4, nOut: 3, weightVar: -1 }], o)).to.throw(DomainError, /weightVar must be in \[2\.2250738585072014e-308, Infinity\), got -1$/);
    expect(() => scalingReport([{ kind: 'dense', nIn: 4, nOut: 2.5 }], o)).to.throw(DomainError, /nOut must be a positive integer/);
    expect(() => scalingReport([{ kind: 'dense', nIn: 4, nOut: 3 }], { ...o, scheme: 'given' })).to.throw(DomainError, /weightVar is required/);
    expect(() => scalingReport([{ kind: 'dense', nIn: 4, nOut: 3 }], { ...o, scheme: 'xavier' as 'geom' })).to.throw(DomainError, /scheme must be one of/);
    expect(() => scalingReport([{ kind: 'residual' } as unknown as ScalingOp], o)).to.throw(DomainError, /unsupported op "residual"/);
    expect(() => scalingReport([{ kind: 'relu' }], o)).to.throw(DomainError, /at least one weight layer/);
    expect(() => scalingReport([], o)).to.throw(DomainError, /non-empty/);
    expect(() => scalingReport([{ kind: 'dense', nIn: 4, nOut: 3 }], { inputShape: [4, 4] })).to.throw(ShapeError, /inputShape must be \[n\] or \[C, H, W\]/);
    expect(() => scalingReport([{ kind: 'dense', nIn: 4, nOut: 3 }], { inputShape: [0] })).to.throw(DomainError, /inputShape\[0\]/);
    expect(() => scalingReport([{ kind: 'dense', nIn: 4, nOut: 3 }], { ...o, inputSecondMoment: NaN })).to.throw(DomainError, /inputSecondMoment/);
    expect(() => scalingReport([{ kind: 'conv2d', cIn: 3, cOut: 4, kH: 3, kW: 3 }], { inputShape: [2, 8, 8] })).to.throw(ShapeError, /cIn = 3 does not match/);
    expect(() => scalingReport([{ kind: 'maxpool', p: 9 }, { kind: 'flatten' }, { kind: 'dense', nIn: 1, nOut: 1 }], { inputShape: [1, 8, 8] })).to.throw(ShapeError, /larger than the input/);
    expect(() => scalingReport([{ kind: 'dense', nIn: 4, nOut: 3 }], { ...o, measured: { qIn: [1, 2] } })).to.throw(ShapeError, /measured.qIn must be an array of 1/);
    expect(() => scalingReport([{ kind: 'dense', nIn: 4, nOut: 3 }], { ...o, momentModel: 'gaussian' as 'centered' })).to.throw(DomainError, /momentModel/);
    expect(() => mlpOps([4])).to.throw(ShapeError, /at least 2/);
    expect(() => maxPoolFactor(0)).to.throw(DomainError, /w \(pool window size\)/);
  });
});
