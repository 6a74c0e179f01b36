// The paper presets of `initlab experiment`: each checks one paper's claims and states a verdict computed from the numbers.
import { DomainError, describe } from '../../core/errors.js';
import { FRACTIONAL_FULL, FRACTIONAL_QUICK, runFractional, type FractionalSize } from './fractional.js';
import { GEOMETRIC_FULL, GEOMETRIC_QUICK, runGeometric } from './geometric.js';
import { LPS_FULL, LPS_QUICK, runLps } from './lps.js';
import { MEANFIELD_FULL, MEANFIELD_QUICK, runMeanfield } from './meanfield.js';
import { PATHCOND_FULL, PATHCOND_QUICK, runPathcond } from './pathcond.js';
import type { Preset } from './types.js';

export * from './types.js';
export { bandRange, bandText, combineVerdicts, verdictForDirection, verdictForValue, type Band, type Verdict, type VerdictOf } from './verdict.js';
export { runMeanfield, MEANFIELD_FULL, MEANFIELD_QUICK, type MeanfieldSize, type MfInitSize, type MfTrainSize } from './meanfield.js';
export { runGeometric, GEOMETRIC_FULL, GEOMETRIC_QUICK, type GeometricSize } from './geometric.js';
export { runLps, LPS_FULL, LPS_QUICK, type LpsSize } from './lps.js';
export { runFractional, FRACTIONAL_FULL, FRACTIONAL_QUICK, type FractionalSize } from './fractional.js';
export { runPathcond, PATHCOND_FULL, PATHCOND_QUICK, type PathcondSize } from './pathcond.js';

const size = (s: { width: number; depth: number; nets: number }): string => `${s.depth} layers of width ${s.width}, ${s.nets} networks per scheme and seed`;
const trainSize = (s: FractionalSize): string => `${s.train.steps} SGD steps on ${s.train.trainSize} images`;

/** The presets, in the order `initlab experiment all` runs them. */
export const PRESETS: readonly Preset[] = [
  {
    name: 'fractional',
    title: "Gürbüzbalaban & Hu: fractional moment-preserving init (s-moments, near-zero outputs, log-normal depth limit; the authors' MNIST net trained vs He)",
    sizes: `full: ${size(FRACTIONAL_FULL)}, MNIST training ${trainSize(FRACTIONAL_FULL)}, 5 seeds (about 151 s); quick: ${size(FRACTIONAL_QUICK)}, training ${trainSize(FRACTIONAL_QUICK)}, 3 seeds (about 2 s)`,
    run: (o) => runFractional(o),
  },
  {
    name: 'lps',
    title: 'Chen, Hao & He: LPS-R (reconstruction) vs He on deep narrow ReLU nets (collapse at init, training success)',
    sizes: `full: widths ${LPS_FULL.widths.join('/')} × depths ${LPS_FULL.depths.join('/')}, ${LPS_FULL.nets} networks, training ${LPS_FULL.train.nets} nets × ${LPS_FULL.train.steps} steps, 5 seeds (about 156 s); quick: widths ${LPS_QUICK.widths.join('/')} × depths ${LPS_QUICK.depths.join('/')}, ${LPS_QUICK.nets} networks, 3 seeds (about 2 s)`,
    run: (o) => runLps(o),
  },
  {
    name: 'meanfield',
    title: "Yu & Spiliopoulos: N^(−γ) normalization on the authors' 784-N-N-10 net, sigmoid and ReLU (output variance at init vs width, outer vs inner γ, MNIST accuracy vs γ)",
    sizes: `full: widths ${MEANFIELD_FULL.init.widths.join('/')} × ${MEANFIELD_FULL.init.nets} networks, training N = ${MEANFIELD_FULL.train.width}, ${MEANFIELD_FULL.train.steps} steps (one pass over ${MEANFIELD_FULL.train.steps * 20} images), 5 seeds (about 145 s); quick: widths ${MEANFIELD_QUICK.init.widths.join('/')}, training N = ${MEANFIELD_QUICK.train.width}, ${MEANFIELD_QUICK.train.steps} steps, 3 seeds (about 2 s)`,
    run: (o) => runMeanfield(o),
  },
  {
    name: 'geometric',
    title: 'Defazio & Bottou: geometric-mean init balances the per-layer scaling constants γ_l on non-square MLPs; MNIST training loss per init with and without the LR multipliers',
    sizes: `full: ${GEOMETRIC_FULL.widths.join('-')}, ${GEOMETRIC_FULL.batches} MNIST batches of ${GEOMETRIC_FULL.batch}, training ${GEOMETRIC_FULL.train.steps} SGD steps × 8 conditions, 5 seeds (about 153 s); quick: ${GEOMETRIC_QUICK.widths.join('-')}, 1 batch of ${GEOMETRIC_QUICK.batch}, training ${GEOMETRIC_QUICK.train.steps} steps, 3 seeds (about 3 s)`,
    run: (o) => runGeometric(o),
  },
  {
    name: 'pathcond',
    title: 'Lebeurrier, Vayer & Gribonval: PathCond after He vs He and ENorm (MNIST training loss on a non-constant-width MLP; λ vs init scale and architecture)',
    sizes: `full: ${PATHCOND_FULL.train.widths.join('-')}, ${PATHCOND_FULL.train.steps} SGD steps of ${PATHCOND_FULL.train.batch}, λ also on ${PATHCOND_FULL.lambda.nets.map((n) => n.widths.join('-')).join(' and ')}, 5 seeds (about 69 s); quick: ${PATHCOND_QUICK.train.widths.join('-')}, ${PATHCOND_QUICK.train.steps} steps, λ also on ${PATHCOND_QUICK.lambda.nets.map((n) => n.widths.join('-')).join(' and ')}, 3 seeds (about 3 s)`,
    run: (o) => runPathcond(o),
  },
];

/** The names of the presets. */
export const presetNames = (): string[] => PRESETS.map((p) => p.name);

/** The preset named `name`; a DomainError lists the known ones. */
export function getPreset(name: string): Preset {
  const p = PRESETS.find((x) => x.name === name);
  if (p === undefined) throw new DomainError(`name must be one of ${presetNames().join(', ')} or all, got ${describe(name)}`);
  return p;
}
