// The compare and propagate reports rendered in headless Chromium (Debian's `chromium`, driven by playwright-core):
// every figure is present with a non-empty SVG that has marks, the page logs no console error and requests nothing
// from the network, and a screenshot is saved under test-output/report/ (gitignored).
//
// Chromium is looked up in INITLAB_CHROMIUM, /usr/bin/chromium, /usr/bin/chromium-browser. Without one the tests
// are pending and say so, except under CI (env CI set), where a missing browser is a failure: .ci/run installs it.
import { expect } from 'chai';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { compareFigures } from '../../src/report/compare-plots.js';
import { compareReportHtml } from '../../src/report/compare-report.js';
import { propagateFigures } from '../../src/report/propagate-plots.js';
import { propagateReportHtml } from '../../src/report/propagate-report.js';
import { fakeCompareResult, fakePropagateResult } from '../support/compare-fixture.js';
import { DEFAULT_COMPARE, runCompare, schemeSpec } from '../../src/experiments/compare/index.js';
import { gaussianBlobs } from '../../src/nn/index.js';

const OUT = join(process.cwd(), 'test-output', 'report');

describe('report in a browser (headless Chromium)', function () {
  this.timeout(120000);
  let browser: Browser | undefined;

  before(async function () {
    browser = await launchChromium(this, ['--no-sandbox']);
  });

  after(async () => {
    await browser?.close();
  });

  /** Load `html` offline, collect console errors, page errors and network requests, and check every figure. */
  async function check(html: string, ids: readonly string[], shot: string): Promise<void> {
    const page = await (browser as Browser).newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.route('**/*', async (route) => {
      requests.push(route.request().url());
      await route.abort();
    });
    await page.setContent(html, { waitUntil: 'load' });
    for (const id of ids) {
      const fig = page.locator(`figure#fig-${id}`);
      expect(await fig.count(), id).to.equal(1);
      const svg = fig.locator('svg').first();
      const box = await svg.boundingBox();
      expect(box, id).to.not.equal(null);
      expect(box?.width ?? 0, id).to.be.above(200);
      expect(box?.height ?? 0, id).to.be.above(100);
      // Marks: vega draws lines, areas and symbols as <path> inside mark groups; at least one with geometry.
      const marks = await svg.locator('g.mark-line path, g.mark-area path, g.mark-symbol path, g.mark-rule line').count();
      expect(marks, `${id}: marks`).to.be.above(0);
      const drawn = await svg
        .locator('g.mark-line path, g.mark-area path, g.mark-symbol path')
        .evaluateAll((ps) => ps.filter((p) => (p.getAttribute('d') ?? '').length > 5).length);
      expect(drawn, `${id}: non-empty data paths`).to.be.above(0);
    }
    expect(await page.locator('figure.plot').count()).to.equal(ids.length);
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, shot), fullPage: true });
    await page.close();
    expect(errors, 'console errors').to.deep.equal([]);
    expect(requests, 'network requests').to.deep.equal([]);
  }

  it('the compare report: every plot present and non-empty, no console error, no request; screenshot saved', async () => {
    const r = fakeCompareResult(7);
    await check(await compareReportHtml(r), compareFigures(r).map((f) => f.id), 'compare.png');
    expect(existsSync(join(OUT, 'compare.png'))).to.equal(true);
  });

  it('the report of a real (small) comparison renders every plot too: what the engine writes, not only the fixture', async () => {
    // Blobs in 8-D, a 8 → 12 × 3 → 3 ReLU net, 4 schemes (one data-anchored, one mean-field) × 3 seeds, 20 steps.
    const blobs = gaussianBlobs(400, { seed: 5, centers: 3, dim: 8, box: 4 });
    const part = (from: number, n: number) => ({ x: blobs.x.slice(from * 8, (from + n) * 8), shape: [n, 8], y: { kind: 'labels' as const, values: blobs.y.values.slice(from, from + n), classes: 3 } });
    const r = runCompare({
      ...DEFAULT_COMPARE, data: 'gaussianBlobs(400, seed 5)', widths: [8, 12, 12, 12, 3], seeds: [1, 2, 3],
      schemes: [schemeSpec('kaiming_normal'), schemeSpec('fractional', { s: 1, act: 'relu' }), schemeSpec('lps_r'), schemeSpec('meanfield', { gammas: 0.5, outputInit: 'centered' })],
      signalBatches: 1, signalBatchSize: 32, steps: 20, batchSize: 16, logEvery: 5, trainSize: 300, testSize: 100, anchorBatchSize: 40,
    }, { train: part(0, 300), test: part(300, 100) });
    await check(await compareReportHtml(r), compareFigures(r).map((f) => f.id), 'compare-real.png');
  });

  it('the propagate report likewise', async () => {
    const r = fakePropagateResult(11);
    await check(await propagateReportHtml(r), propagateFigures(r).map((f) => f.id), 'propagate.png');
    expect(existsSync(join(OUT, 'propagate.png'))).to.equal(true);
  });

  it('the check fails on a page whose figure has no marks (it can fail)', async () => {
    const html = '<!doctype html><html><body><figure id="fig-x" class="plot"><svg width="300" height="200"></svg></figure></body></html>';
    let failed = false;
    try {
      await check(html, ['x'], 'empty.png');
    } catch {
      failed = true;
    }
    expect(failed).to.equal(true);
  });
});
