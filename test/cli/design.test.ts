/**
 * `initlab design`: the scaling calculus of an architecture from the command line, checked against the closed forms
 * of the calculus (q_in = r_out = 1, gain 2): geometric init gives every layer γ = sqrt(n_0·n_L)/2 (balanced);
 * fan-in init gives γ_l ∝ n_in,l / n_out,l (not balanced); golden values for 784-512-256-10 and a small convnet.
 */
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DesignResult } from '../../src/cli/design.js';
import { cli } from './capture.js';

async function design(...argv: string[]): Promise<DesignResult> {
  const { code, out, err } = await cli(['design', ...argv, '--json']);
  expect(err).to.equal('');
  expect(code).to.equal(0);
  return JSON.parse(out) as DesignResult;
}

/** Relative closeness for values computed in float64 through a few products (exact up to rounding). */
const close = (a: number, b: number, rel = 1e-12): boolean => Math.abs(a - b) <= rel * Math.abs(b);

describe('cli: initlab design', () => {
  it('784-300-100-10 --init fan_in is not balanced: γ_l ∝ fan_in/fan_out, and the corrections equalise γ', async () => {
    const d = await design('784-300-100-10', '--init', 'fan_in');
    expect(d.balanced).to.equal(false);
    const ratio = [784 / 300, 300 / 100, 100 / 10];
    const g = d.layers.map((l) => l.gamma);
    for (let l = 1; l < 3; l++) expect(close((g[l] as number) / (g[0] as number), (ratio[l] as number) / (ratio[0] as number)), `γ_${l}/γ_0`).to.equal(true);
    expect(close(d.gammaRatio, 100 / 10 / (784 / 300))).to.equal(true);
    expect(d.layers.map((l) => l.weightVar)).to.deep.equal([2 / 784, 2 / 300, 2 / 100]);
    // γ_ref is the geometric mean; λ_l² γ_l = γ_ref; the suggested variances are the balanced ones.
    expect(close(d.gammaRef, Math.cbrt(g[0]! * g[1]! * g[2]!))).to.equal(true);
    d.layers.forEach((l, i) => {
      expect(close(d.lrMultipliers[i]! ** 2 * l.gamma, d.gammaRef)).to.equal(true);
      expect(d.suggestedVariances[i]).to.equal(l.suggestedVar);
    });
  });

  it('784-300-100-10 --init geometric is balanced: γ = sqrt(784·10)/2 on every layer, multipliers 1', async () => {
    const d = await design('784-300-100-10', '--init', 'geometric');
    expect(d.balanced).to.equal(true);
    for (const l of d.layers) {
      expect(close(l.gamma, Math.sqrt(784 * 10) / 2), `γ_${l.index}`).to.equal(true);
      expect(close(l.weightVar, 2 / Math.sqrt(l.fanIn * l.fanOut))).to.equal(true);
    }
    for (const m of d.lrMultipliers) expect(close(m, 1)).to.equal(true);
    // Geometric is the default rule.
    expect((await design('784-300-100-10')).layers.map((l) => l.gamma)).to.deep.equal(d.layers.map((l) => l.gamma));
  });

  it('784-512-256-10: the golden γ of fan_in, fan_out and arithmetic init', async () => {
    const golden: [string, number[]][] = [['fan_in', [7.65625, 10, 128]], ['fan_out', [256, 196, 15.3125]], ['arith', [16.2406, 17.4659, 107.2757]]];
    for (const [init, want] of golden) {
      const got = (await design('784-512-256-10', '--init', init)).layers.map((l) => l.gamma);
      // The arithmetic values are given to 6 significant digits.
      want.forEach((w, i) => expect(close(got[i]!, w, init === 'arith' ? 5e-6 : 1e-12), `${init} γ_${i}`).to.equal(true));
    }
  });

  it('--init given takes the variances from --weight-vars; balanced variances from a report balance it', async () => {
    const fanIn = await design('784-300-100-10', '--init', 'fan_in');
    const d = await design('784-300-100-10', '--init', 'given', '--weight-vars', fanIn.suggestedVariances.join(','));
    expect(d.balanced).to.equal(true);
    expect(close(d.gammaRatio, 1, 1e-9)).to.equal(true);
    const { code, err } = await cli(['design', '784-300-100-10', '--init', 'given', '--weight-vars', '0.1,0.2']);
    expect(code).to.equal(2);
    expect(err).to.equal('initlab: UsageError: --init given needs --weight-vars with 3 variance(s), one per weight layer of 784-300-100-10, got 2\n');
  });

  it('reads a JSON file of ops: a convnet with the golden γ of the calculus', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'initlab-design-'));
    const file = join(dir, 'net.json');
    const conv = (cIn: number, cOut: number, s: number): object => ({ kind: 'conv2d', cIn, cOut, kH: 3, kW: 3, sH: s, sW: s });
    writeFileSync(file, JSON.stringify({
      inputShape: [3, 32, 32],
      ops: [conv(3, 16, 1), { kind: 'relu' }, conv(16, 32, 2), { kind: 'relu' }, conv(32, 64, 2), { kind: 'relu' }, { kind: 'flatten' }, { kind: 'dense', nIn: 4096, nOut: 10 }],
    }));
    const d = await design(file);
    expect(d.architecture).to.equal(file);
    // Golden values given to 5 significant digits.
    [197.18, 197.18, 197.18, 21.909].forEach((w, i) => expect(close(d.layers[i]!.gamma, w, 5e-5), `γ_${i}`).to.equal(true));
    writeFileSync(file, '[{"kind": "dense", "nIn": 4, "nOut": 0}]');
    const bad = await cli(['design', file]);
    expect(bad.code).to.equal(2);
    expect(bad.err).to.match(/^initlab: DomainError: ops\[0\] \("dense"\)\.nOut must be/);
  });

  it('prints a table with the verdict without --json', async () => {
    const { code, out } = await cli(['design', '784-300-100-10', '--init', 'fan_in']);
    expect(code).to.equal(0);
    expect(out).to.match(/\nlayer +kind +fan_in +fan_out +variance +γ +γ\/γ_ref +balanced var +lr mult\n0 +dense +784 +300 /);
    expect(out).to.include('\nNOT BALANCED: max/min γ = 3.8265');
    expect((await cli(['design', '784-300-100-10'])).out).to.include('\nBALANCED: max/min γ = 1.0000');
  });

  const malformed: [string, string][] = [
    ['784--10', 'initlab: UsageError: <arch> "784--10": width 2 is empty; it must be layer widths joined by "-", like 784-300-100-10'],
    ['784-0-10', 'initlab: UsageError: <arch> "784-0-10": width 2 is 0; each width must be an integer in [1, 1048576]'],
    ['abc', 'initlab: UsageError: <arch> "abc" must be layer widths joined by "-", like 784-300-100-10 (at least an input and an output width)'],
    ['784-1.5-10', 'initlab: UsageError: <arch> "784-1.5-10": width 2 is "1.5", not a positive integer; it must be layer widths joined by "-", like 784-300-100-10'],
    ['missing.json', 'initlab: UsageError: <arch> "missing.json" cannot be read as JSON (ENOENT)'],
  ];
  for (const [arch, line] of malformed) {
    it(`design ${arch} exits 2 with one line`, async () => {
      const { code, out, err } = await cli(['design', arch]);
      expect(code).to.equal(2);
      expect(out).to.equal('');
      expect(err).to.equal(`${line}\n`);
    });
  }
});
