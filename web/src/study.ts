/**
 * Signal propagation at initialization, computed in the page: for each scheme, the playground's MLP (`mlp`, the same
 * builder the training uses) on a batch of standard-normal inputs, measured layer by layer with the ops of the active
 * backend. Per hidden layer l (h_0 the input, y_l the pre-activation of layer l, h_l = act(y_l)):
 *   - second moment E[h_l²] over all entries;
 *   - s-moment ratio E‖h_l‖^s / E‖h_0‖^s (the quantity the fractional scheme of Gürbüzbalaban & Hu keeps at 1);
 *   - dead units: fraction of units with y_l ≤ 0 on every sample (`deadFraction`).
 */
import { Linear, createStream, deadFraction, getInitializer, mlp, noGrad, secondMoment, tensor, type Tensor } from '../../src/browser.js';
import { schemeOptions, type StudyParams } from './params.js';

export interface LayerRow {
  readonly scheme: string;
  readonly layer: number;
  readonly secondMoment: number;
  readonly sMoment: number;
  readonly dead: number | null;
}

export interface StudyResult {
  readonly rows: LayerRow[];
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

/** One scheme's per-layer rows. Every draw is seeded: the input from stream 0 of the seed, the weights from `seed`. */
function measure(name: string, p: StudyParams, x: Tensor): LayerRow[] {
  const widths = [p.width, ...Array.from({ length: p.depth }, () => p.width), 10];
  const model = mlp({ widths, activation: p.activation, init: name, initOptions: schemeOptions(name, p), seed: p.seed, dtype: 'float32' });
  const base = sMoment(x, p.s);
  const rows: LayerRow[] = [{ scheme: name, layer: 0, secondMoment: secondMoment(x.dense()), sMoment: 1, dead: null }];
  noGrad(() => {
    let h = x;
    for (let i = 0; i + 1 < model.length; i += 2) {
      const lin = model.at(i);
      if (!(lin instanceof Linear)) throw new Error(`module ${i} of mlp() is not a Linear`);
      const y = lin.forward(h);
      h = model.at(i + 1).forward(y);
      rows.push({ scheme: name, layer: i / 2 + 1, secondMoment: secondMoment(h.dense()), sMoment: sMoment(h, p.s) / base, dead: deadFraction(y) });
    }
  });
  return rows;
}

/** Run the study for every chosen scheme; a scheme that throws is reported, the others still run. */
export function runStudy(p: StudyParams): StudyResult {
  const t0 = performance.now();
  const rng = createStream(p.seed, 0);
  const data = new Float32Array(p.batch * p.width);
  for (let i = 0; i < data.length; i++) data[i] = rng.nextNormal();
  const x = tensor(data, [p.batch, p.width], { dtype: 'float32' });
  const rows: LayerRow[] = [];
  const failures: { scheme: string; error: string }[] = [];
  for (const name of p.schemes) {
    try {
      rows.push(...measure(getInitializer(name).name, p, x));
    } catch (e) {
      failures.push({ scheme: name, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
  }
  return { rows, failures, millis: performance.now() - t0 };
}
