/**
 * `initlab experiment` end to end, in-process: --list names the presets, `all --quick` writes one report with the
 * summary table and every preset's section (claims, setup, tables, figures) and results.json, the same seed gives the
 * same numbers, and bad input (no name, an unknown name, a bad --out) is one line before any computing.
 */
import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRESETS, type PresetResult } from '../../src/experiments/papers/index.js';
import { cli, type Captured } from './capture.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'initlab-experiment-'));

function reportOf(out: string): { html: string; results: PresetResult[] } {
  const [name] = readdirSync(out);
  const dir = join(out, name as string);
  expect(readdirSync(dir).sort()).to.deep.equal(['index.html', 'results.json']);
  return { html: readFileSync(join(dir, 'index.html'), 'utf8'), results: JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as PresetResult[] };
}

function oneLine(c: Captured): string {
  expect(c.code, c.err).to.equal(2);
  expect(c.out).to.equal('');
  expect(c.err.trimEnd()).to.not.include('\n');
  return c.err;
}

describe('cli: initlab experiment', function () {
  this.timeout(60_000);
  const runs: { out: string; c: Captured }[] = [];
  before(async () => {
    // `all` once (every preset), then one preset again for reproducibility (keeps the file well under a minute).
    for (const name of ['all', 'fractional']) {
      const out = tmp();
      runs.push({ out, c: await cli(['experiment', name, '--quick', '--seed', '7', '--out', out]) });
    }
  });

  it('--list names every preset with its sizes', async () => {
    const c = await cli(['experiment', '--list']);
    expect(c.code).to.equal(0);
    for (const p of PRESETS) {
      expect(c.out).to.include(p.name);
      expect(c.out).to.include(p.sizes);
    }
  });

  it('all --quick prints a verdict per preset and claim, and writes one report with every section and figure', () => {
    const { out, c } = runs[0]!;
    expect(c.code, c.err).to.equal(0);
    const { html, results } = reportOf(out);
    expect(results.map((r) => r.name)).to.deep.equal(PRESETS.map((p) => p.name));
    expect(html).to.include('Summary of verdicts');
    for (const r of results) {
      expect(c.out).to.include(`${r.name}: ${r.verdict}`);
      expect(html).to.include(`id="preset-${r.name}"`);
      expect(r.seeds).to.deep.equal([7, 8, 9]);
      for (const claim of r.claims) {
        expect(html).to.include(`Claim: ${claim.id}`);
        expect(c.out).to.include(`${claim.id}:`);
      }
      for (const f of r.figures) expect(html).to.match(new RegExp(`<figure id="fig-${f.id}" class="plot"><svg`));
      for (const t of r.tables) expect(html).to.include(t.title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    }
  });

  it('the same seed gives the same numbers', () => {
    const strip = (r: PresetResult | undefined): unknown => ({ ...r, meta: null });
    const again = reportOf(runs[1]!.out).results;
    expect(again.map((r) => r.name)).to.deep.equal(['fractional']);
    expect(strip(again[0])).to.deep.equal(strip(reportOf(runs[0]!.out).results.find((r) => r.name === 'fractional')));
  });

  it('bad input is one line, before any work', async () => {
    expect(oneLine(await cli(['experiment']))).to.match(/needs <name>: one of fractional.* or all/);
    expect(oneLine(await cli(['experiment', 'fractionl', '--quick']))).to.match(/name must be one of .*got "fractionl"/);
    const file = join(tmp(), 'f');
    writeFileSync(file, 'x');
    expect(oneLine(await cli(['experiment', 'fractional', '--quick', '--out', file]))).to.match(/--out must be a directory/);
    expect(oneLine(await cli(['experiment', 'all', '--seeds', '1']))).to.match(/--seeds/);
  });
});
