/**
 * The signal-propagation study: one deep ReLU MLP, initialised by each scheme of the registry in turn, measured at
 * initialization (forward moments, gradient moments, dead units, and the scaling-calculus γ_l computed from the
 * measured moments). This is the main job of `initlab run` / `npm start`.
 */
import {
  type InitOptions,
  createStream,
  getInitializer,
  initializeNetwork,
  mlpOps,
  scalingReport,
  SCALING_CALCULUS_TITLE,
} from '../init/index.js';
import { DomainError, ShapeError, describe } from '../core/errors.js';
import { resolveDType } from '../core/index.js';
import { getBackend } from '../kernels/index.js';
import { type LayerSignal, denseFromInit, signalPropagation } from '../nn/index.js';
import { type DType, tensor } from '../tensor/index.js';

export interface SchemeSpec {
  /** Registry name (see `initlab schemes`). */
  readonly name: string;
  /** Label in the report; defaults to the name plus its options. */
  readonly label?: string;
  readonly options?: InitOptions;
}

export interface SignalStudyConfig {
  readonly inputDim: number;
  readonly width: number;
  /** Number of hidden layers. */
  readonly depth: number;
  readonly classes: number;
  readonly batch: number;
  readonly seed: number;
  /** Independent weight draws per scheme (the data batch is shared); summaries report the median over draws. */
  readonly draws: number;
  readonly dtype: DType;
  readonly schemes: readonly SchemeSpec[];
}

/**
 * The embedded default: 32 hidden layers of width 128 on standard-normal inputs, 4 weight draws per scheme, in
 * float64 (so that what is measured is the scheme, not float32 rounding: LPS-R's interpolating weights amplify
 * rounding errors layer after layer, which a float32 run shows as exploding deep-layer moments).
 */
export const DEFAULT_SIGNAL_STUDY: SignalStudyConfig = {
  inputDim: 128,
  width: 128,
  depth: 32,
  classes: 10,
  batch: 256,
  seed: 20261122,
  draws: 4,
  dtype: 'float64',
  schemes: [
    { name: 'lecun_normal', label: 'LeCun normal (Var = 1/fan_in)' },
    { name: 'xavier_normal', label: 'Glorot/Xavier normal (Var = 2/(fan_in+fan_out))' },
    { name: 'kaiming_normal', label: 'He/Kaiming normal (Var = 2/fan_in)' },
    { name: 'geometric', label: 'geometric, Defazio–Bottou (Var = 2/√(fan_in·fan_out))' },
    { name: 'orthogonal', label: 'orthogonal, gain √2', options: { gain: Math.SQRT2 } },
    { name: 'fractional', label: 'fractional moment, s = 1 (ReLU)', options: { s: 1, act: 'relu' } },
    { name: 'pathcond_after_he', label: 'PathCond after He (authors\'-code objective)' },
    { name: 'enorm_after_he', label: 'ENorm after He' },
    { name: 'lps_r', label: 'LPS-R (reconstruction of LPS, Chen, Hao & He)' },
    { name: 'lps_r_plus', label: 'LPS-R+ (reconstruction of LPS, Chen, Hao & He)' },
  ],
};

/** One weight draw of one scheme. */
export interface DrawResult {
  readonly layers: LayerSignal[];
  readonly loss: number;
  /** E[x_L²] / E[x_0²]: forward gain of the whole network, x_L the input of the output layer (1 is ideal). */
  readonly forwardGain: number;
  /** max_l / min_l of E[(∂L/∂W_l)²]: spread of gradient scales across layers (1 is ideal). */
  readonly gradSpread: number;
  /** Largest dead-unit fraction over the hidden layers. */
  readonly maxDead: number;
  /** γ_l of the scaling calculus with the measured moments (reconstruction after Defazio & Bottou). */
  readonly gammas: number[];
  /** max γ / min γ (1 is balanced). */
  readonly gammaRatio: number;
}

/** Per-layer band over draws: median, min and max of one layer statistic. */
export interface Band {
  readonly median: number[];
  readonly min: number[];
  readonly max: number[];
}

export interface SchemeResult {
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly source: string;
  readonly provenance: string;
  readonly draws: DrawResult[];
  /** Medians over draws of the per-draw summaries. */
  readonly forwardGain: number;
  readonly gradSpread: number;
  readonly maxDead: number;
  readonly gammaRatio: number;
  readonly loss: number;
  /** Per-layer bands over draws. */
  readonly bands: {
    readonly preact: Band;
    readonly outputGrad: Band;
    readonly weightGrad: Band;
    readonly dead: Band;
    readonly gamma: Band;
  };
  readonly millis: number;
}

export interface SignalStudyResult {
  readonly config: SignalStudyConfig;
  readonly backend: string;
  readonly gammaTitle: string;
  readonly schemes: SchemeResult[];
  readonly failures: { name: string; error: string }[];
  readonly millis: number;
}

function checkConfig(cfg: SignalStudyConfig): void {
  for (const k of ['inputDim', 'width', 'depth', 'classes', 'batch', 'draws'] as const) {
    const v = cfg[k];
    if (!Number.isInteger(v) || v < 1) throw new ShapeError(`${k} must be a positive integer, got ${describe(v)}`);
  }
  if (cfg.classes < 2) throw new DomainError(`classes must be at least 2, got ${cfg.classes}`);
  resolveDType(cfg.dtype, 'dtype');
  if (!Number.isSafeInteger(cfg.seed) || cfg.seed < 0) throw new DomainError(`seed must be a non-negative safe integer, got ${describe(cfg.seed)}`);
  if (cfg.schemes.length === 0) throw new DomainError('schemes must name at least one initializer');
  for (const s of cfg.schemes) getInitializer(s.name); // unknown names fail before any work
}

/** Weight shapes [out, in] of the study's network. */
export function studyShapes(cfg: SignalStudyConfig): number[][] {
  const shapes: number[][] = [[cfg.width, cfg.inputDim]];
  for (let l = 1; l < cfg.depth; l++) shapes.push([cfg.width, cfg.width]);
  shapes.push([cfg.classes, cfg.width]);
  return shapes;
}

function median(xs: readonly number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  const h = v.length >> 1;
  return v.length % 2 === 1 ? (v[h] as number) : 0.5 * ((v[h - 1] as number) + (v[h] as number));
}

function band(rows: readonly (readonly number[])[]): Band {
  const n = rows[0]?.length ?? 0;
  const col = (j: number): number[] => rows.map((r) => r[j] as number);
  return {
    median: Array.from({ length: n }, (_, j) => median(col(j))),
    min: Array.from({ length: n }, (_, j) => Math.min(...col(j))),
    max: Array.from({ length: n }, (_, j) => Math.max(...col(j))),
  };
}

/**
 * Run the study. Every scheme sees the same data batch and labels (streams 0 and 1 of the seed); draw d of scheme i
 * takes its weights from stream 1000·(i+1) + d of the seed, so each result is reproducible bit for bit on its own.
 * A scheme that throws is reported in `failures` with its error and the study goes on.
 */
export function runSignalStudy(cfg: SignalStudyConfig, onScheme?: (r: SchemeResult | { name: string; error: string }) => void): SignalStudyResult {
  checkConfig(cfg);
  const tStart = performance.now();
  const dataRng = createStream(cfg.seed, 0);
  const labelRng = createStream(cfg.seed, 1);
  const xData = new Float64Array(cfg.batch * cfg.inputDim);
  for (let i = 0; i < xData.length; i++) xData[i] = dataRng.nextNormal();
  const labels = Array.from({ length: cfg.batch }, () => labelRng.nextInt(cfg.classes));
  const x = tensor(xData, [cfg.batch, cfg.inputDim], { dtype: cfg.dtype });
  const shapes = studyShapes(cfg);
  const widths = [cfg.inputDim, ...shapes.map((s) => s[0] as number)];

  const oneDraw = (spec: SchemeSpec, stream: number): DrawResult => {
    const init = initializeNetwork(spec.name, shapes, createStream(cfg.seed, stream), { ...spec.options, dtype: 'float64' }, {
      data: { x: xData, shape: [cfg.batch, cfg.inputDim] },
    });
    const sig = signalPropagation(denseFromInit(init, { dtype: cfg.dtype }), x, labels);
    const L = sig.layers;
    const gw = L.map((l) => l.weightGradSecondMoment);
    const report = scalingReport(mlpOps(widths, L.map((l) => l.weightSecondMoment)), {
      inputShape: [cfg.inputDim],
      scheme: 'given',
      measured: {
        qIn: L.map((l) => l.inputSecondMoment),
        rOut: L.map((l) => l.outputGradSecondMoment),
        weightVar: L.map((l) => l.weightSecondMoment),
      },
    });
    return {
      layers: L,
      loss: sig.loss,
      forwardGain: (L[L.length - 1] as LayerSignal).inputSecondMoment / (L[0] as LayerSignal).inputSecondMoment,
      gradSpread: Math.max(...gw) / Math.min(...gw),
      maxDead: Math.max(0, ...L.map((l) => l.deadFraction ?? 0)),
      gammas: report.layers.map((l) => l.gamma),
      gammaRatio: report.gammaRatio,
    };
  };

  const schemes: SchemeResult[] = [];
  const failures: { name: string; error: string }[] = [];
  cfg.schemes.forEach((spec, i) => {
    const t0 = performance.now();
    const entry = getInitializer(spec.name);
    try {
      const draws = Array.from({ length: cfg.draws }, (_, d) => oneDraw(spec, 1000 * (i + 1) + d));
      const per = (f: (l: LayerSignal) => number): number[][] => draws.map((d) => d.layers.map(f));
      const r: SchemeResult = {
        name: entry.name,
        label: spec.label ?? (spec.options === undefined ? entry.name : `${entry.name} ${JSON.stringify(spec.options)}`),
        description: entry.description,
        source: entry.source,
        provenance: entry.provenance,
        draws,
        forwardGain: median(draws.map((d) => d.forwardGain)),
        gradSpread: median(draws.map((d) => d.gradSpread)),
        maxDead: median(draws.map((d) => d.maxDead)),
        gammaRatio: median(draws.map((d) => d.gammaRatio)),
        loss: median(draws.map((d) => d.loss)),
        bands: {
          preact: band(per((l) => l.preactSecondMoment)),
          outputGrad: band(per((l) => l.outputGradSecondMoment)),
          weightGrad: band(per((l) => l.weightGradSecondMoment)),
          dead: band(draws.map((d) => d.layers.slice(0, -1).map((l) => l.deadFraction ?? 0))),
          gamma: band(draws.map((d) => d.gammas)),
        },
        millis: performance.now() - t0,
      };
      schemes.push(r);
      onScheme?.(r);
    } catch (e) {
      // One scheme failing must not lose the others' results; the failure is reported, never dropped.
      const f = { name: spec.name, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
      failures.push(f);
      onScheme?.(f);
    }
  });
  const b = getBackend();
  return { config: cfg, backend: `${b.name} — ${b.describe()}`, gammaTitle: SCALING_CALCULUS_TITLE, schemes, failures, millis: performance.now() - tStart };
}
