/** Shared fixture of the preset tests: the quick run once per file, and the determinism check every preset must pass. */
import { expect } from 'chai';
import type { PresetOptions, PresetResult } from '../../../src/experiments/papers/index.js';

/**
 * Inside a `describe`: runs `preset` at its quick size on `seeds` before the tests, and adds the test that a second
 * run on the same seeds gives the same result (all but the run metadata: times). `result()` is the first run.
 */
export function quickFixture(preset: (o: PresetOptions) => PresetResult, seeds: number[] = [0, 1, 2]): { result: () => PresetResult; run: (s: number[]) => PresetResult } {
  const run = (s: number[]): PresetResult => preset({ quick: true, seeds: s, confidence: 0.95, command: 'test' });
  let first: PresetResult | undefined;
  before(() => {
    first = run(seeds);
  });
  it('is deterministic for its seeds (a rerun gives the same numbers)', () => {
    expect({ ...run(seeds), meta: null }).to.deep.equal({ ...first, meta: null });
  });
  return { result: () => first as PresetResult, run };
}
