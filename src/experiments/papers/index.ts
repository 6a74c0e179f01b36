// The paper presets of `initlab experiment`: each checks one paper's claims and states a verdict computed from the numbers.
import { DomainError, describe } from '../../core/errors.js';
import { FRACTIONAL_FULL, FRACTIONAL_QUICK, runFractional } from './fractional.js';
import type { Preset } from './types.js';

export * from './types.js';
export { bandRange, bandText, combineVerdicts, verdictForDirection, verdictForValue, type Band, type Verdict, type VerdictOf } from './verdict.js';
export { runFractional, FRACTIONAL_FULL, FRACTIONAL_QUICK, type FractionalSize } from './fractional.js';

const size = (s: { width: number; depth: number; nets: number }): string => `${s.depth} layers of width ${s.width}, ${s.nets} networks per scheme and seed`;

/** The presets, in the order `initlab experiment all` runs them. */
export const PRESETS: readonly Preset[] = [
  {
    name: 'fractional',
    title: 'Gürbüzbalaban & Hu: fractional moment-preserving init (s-moments, near-zero outputs, log-normal depth limit)',
    sizes: `full: ${size(FRACTIONAL_FULL)}, 5 seeds (about 60 s on one core); quick: ${size(FRACTIONAL_QUICK)}, 3 seeds (about 3 s)`,
    run: (o) => runFractional(o),
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
