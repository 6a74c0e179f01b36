/**
 * Signal propagation at initialization, computed in the page: for each scheme, the playground's MLP (`mlp`, the same
 * builder the training uses) on a batch of standard-normal inputs, measured layer by layer with the ops of the active
 * backend. Per hidden layer l (h_0 the input, y_l the pre-activation of layer l, h_l = act(y_l)):
 *   - second moment E[h_l²] over all entries;
 *   - s-moment ratio E‖h_l‖^s / E‖h_0‖^s (the quantity the fractional scheme of Gürbüzbalaban & Hu keeps at 1);
 *   - dead units: fraction of units with y_l ≤ 0 on every sample (`deadFraction`);
 *   - for ReLU nets, γ_l per weight layer: the scaling calculus (reconstruction after Defazio & Bottou) fed with the
 *     moments `signalPropagation` measures forward and backward (cross-entropy on random labels), as `initlab run`
 *     does.
 */
import { Linear, createStream, deadFraction, getInitializer, init, mlp, noGrad, secondMoment, signalPropagation, tensor, type Dense, type Sequential, type Tensor } from '../../src/browser.js';
import { schemeOptions, type StudyParams } from './params.js';

export interface LayerRow {
  readonly scheme: string;
  readonly layer: number;
  readonly secondMoment: number;
  readonly sMoment: number;
  readonly dead: number | null;
}

export interface GammaRow {
  readonly scheme: string;
  /** Weight layer 1..depth+1 (the last is the output layer). */
  readonly layer: number;
  readonly gamma: number;
}

export interface StudyResult {
  readonly rows: LayerRow[];
  /** Empty unless the activation is ReLU (the calculus and `signalPropagation` are for ReLU nets). */
  readonly gammas: GammaRow[];
  /** Schemes that threw (e.g. fractional with tanh), with the typed error as `Name: message`. */
  readonly failures: { scheme: string; error: string }[];
  readonly millis: number;
}

/** E‖h‖^s over the rows of a [batch, d] tensor, in float64. */
function sMoment(h: Tensor, s: number): number {
  const [rows, cols] = h.shape as [number, number];
  const v = h.dense();
  let total = 0;
  for (let i = 0; i < rows; i++) {
    let sq = 0;
    for (let j = 0; j < cols; j++) sq += (v[i * cols + j] as number) ** 2;
    total += sq ** (s / 2);
  }
  return total / rows;
}

/** The Linear layers of an `mlp()` model, in order. */
function linears(model: Sequential): Linear[] {
  const out: Linear[] = [];
  for (let i = 0; i < model.length; i += 2) {
    const m = model.at(i);
    if (!(m instanceof Linear)) throw new Error(`module ${i} of mlp() is not a Linear`);
    out.push(m);
  }
  return out;
}

/** One scheme's model: `mlp` with the study's widths, activation, scheme options and seed. */
function build(name: string, p: StudyParams): Sequential {
  const widths = [p.width, ...Array.from({ length: p.depth }, () => p.width), 10];
  return mlp({ widths, activation: p.activation, init: name, initOptions: schemeOptions(name, p), seed: p.seed, dtype: 'float32' });
}

/** One scheme's per-layer rows (forward only). */
function measure(name: string, p: StudyParams, model: Sequential, x: Tensor): LayerRow[] {
  const base = sMoment(x, p.s);
  const rows: LayerRow[] = [{ scheme: name, layer: 0, secondMoment: secondMoment(x.dense()), sMoment: 1, dead: null }];
  const layers = linears(model);
  noGrad(() => {
    let h = x;
    layers.slice(0, -1).forEach((lin, l) => {
      const y = lin.forward(h);
      h = model.at(2 * l + 1).forward(y);
      rows.push({ scheme: name, layer: l + 1, secondMoment: secondMoment(h.dense()), sMoment: sMoment(h, p.s) / base, dead: deadFraction(y) });
    });
  });
  return rows;
}

/** γ_l of a ReLU model's weight layers from its measured forward and backward moments. */
function gammas(name: string, p: StudyParams, model: Sequential, x: Tensor, labels: number[]): GammaRow[] {
  const dense: Dense[] = linears(model).map((l) => ({ W: l.weight, b: l.bias, scale: l.scale }));
  const L = signalPropagation(dense, x, labels).layers;
  const widths = [p.width, ...dense.map((d) => d.W.shape[0] as number)];
  const report = init.scalingReport(init.mlpOps(widths, L.map((l) => l.weightSecondMoment)), {
    inputShape: [p.width],
    scheme: 'given',
    measured: { qIn: L.map((l) => l.inputSecondMoment), rOut: L.map((l) => l.outputGradSecondMoment), weightVar: L.map((l) => l.weightSecondMoment) },
  });
  return report.layers.map((l, i) => ({ scheme: name, layer: i + 1, gamma: l.gamma }));
}

/**
 * Run the study for every chosen scheme; a scheme that throws is reported, the others still run. The inputs come
 * from stream 0 of the seed, the labels (for γ) from stream 1, the weights from the seed (as `mlp` draws them).
 */
export function runStudy(p: StudyParams): StudyResult {
  const t0 = performance.now();
  const rng = createStream(p.seed, 0);
  const data = new Float32Array(p.batch * p.width);
  for (let i = 0; i < data.length; i++) data[i] = rng.nextNormal();
  const x = tensor(data, [p.batch, p.width], { dtype: 'float32' });
  const labelRng = createStream(p.seed, 1);
  const labels = Array.from({ length: p.batch }, () => labelRng.nextInt(10));
  const rows: LayerRow[] = [];
  const gammaRows: GammaRow[] = [];
  const failures: { scheme: string; error: string }[] = [];
  for (const name of p.schemes) {
    try {
      const canonical = getInitializer(name).name;
      const model = build(canonical, p);
      const r = measure(canonical, p, model, x);
      const g = p.activation === 'relu' ? gammas(canonical, p, model, x, labels) : [];
      rows.push(...r);
      gammaRows.push(...g);
    } catch (e) {
      failures.push({ scheme: name, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
  }
  return { rows, gammas: gammaRows, failures, millis: performance.now() - t0 };
}
