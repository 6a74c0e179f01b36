/**
 * The playground in a real browser (issue 14): web/dist/ is built (web/build.ts) and served from a local port
 * (web/serve.ts), headless Chromium loads it through playwright-core, and the page's own results are checked:
 * the default study renders every plot, the gpu.js backend runs on WebGL2 (not gpu.js's CPU fallback) and its matmul
 * agrees with the CPU kernels within the float32 bound of src/kernels/agreement.ts, a short training run lowers the
 * loss, bad input shows a typed error in the page, and nothing is logged as a console error. A screenshot goes to
 * test-output/playground.png.
 *
 * The first suite needs no browser: it checks the seam of the browser build (which modules went into the bundle).
 *
 * Chromium: $INITLAB_CHROMIUM, else /usr/bin/chromium, else /usr/bin/chromium-browser. Without one the suite is
 * pending, except under CI, where it fails. Headless Chromium renders WebGL2 in software (SwiftShader), which is
 * enough to check the kernels.
 */
import { expect } from 'chai';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { agreement, gemmErrorBound } from '../../src/kernels/agreement.js';
import { CpuBackend } from '../../src/kernels/cpu/backend.js';
import { createStream } from '../../src/init/index.js';
import { buildWeb } from '../../web/build.js';
import { serveStatic, type WebServer } from '../../web/serve.js';

const OUT = fileURLToPath(new URL('../../test-output/', import.meta.url));
/** Flags for WebGL2 in software in a headless browser (no GPU process hardware, no blocklist). */
const FLAGS = ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist', '--no-sandbox'];
const SEED = 20261129;

/** What the page exposes as window.playground (web/src/main.ts), as far as the test reads it. */
interface PageState {
  study: {
    rows: { scheme: string; layer: number; secondMoment: number; sMoment: number; dead: number | null }[];
    gammas: { scheme: string; layer: number; gamma: number }[];
    failures: { scheme: string; error: string }[] } | null;
  training: { points: { step: number; loss: number }[]; testAccuracy: number } | null;
  agreement: { trials: { m: number; k: number; n: number; ok: boolean; worstRatio: number }[]; ok: boolean; gpuMatmuls: number; degraded: boolean; renderer: string } | null;
  backend: { active: string; auto: string; renderer: string; software: boolean | null } | null;
  errors: string[];
  busy: number;
}

/** One build per run, shared by both suites (about 5 s). */
let built: Promise<string[]> | null = null;
const buildOnce = (): Promise<string[]> => (built ??= buildWeb());

/** The kernels' modules that touch the host, each with a browser twin. */
const TWINS = ['src/kernels/host', 'src/kernels/gpu/context', 'src/kernels/gpu/gpujs', 'src/kernels/wasm/threads'];

describe('web build: the seam between Node and the browser (test/web)', function () {
  this.timeout(60_000);

  it('bundles each browser twin instead of its Node module, and no node: module', async function () {
    const inputs = await buildOnce();
    for (const t of TWINS) {
      expect(inputs, `${t}.browser.ts`).to.include(`${t}.browser.ts`);
      expect(inputs, `${t}.ts`).to.not.include(`${t}.ts`);
    }
    expect(inputs.filter((f) => f.startsWith('node:') || /\/src\/nn\/(checkpoint|data\/idx|data\/mnist)\.ts$/.test(`/${f}`))).to.deep.equal([]);
    // The rest of the library comes from the very sources Node runs.
    for (const f of ['src/kernels/registry.ts', 'src/kernels/wasm/backend.ts', 'src/kernels/gpu/backend.ts', 'src/tensor/autograd.ts', 'src/nn/mlp-builder.ts']) {
      expect(inputs).to.include(f);
    }
  });

  it('gives each browser twin the exports of its Node module', async function () {
    for (const t of TWINS) {
      const node = (await import(`../../${t}.js`)) as Record<string, unknown>;
      const browser = (await import(`../../${t}.browser.js`)) as Record<string, unknown>;
      // Value exports only (types vanish at run time): the browser build must find every name a caller imports.
      expect(Object.keys(browser).sort(), t).to.deep.equal(Object.keys(node).sort());
    }
  });
});

const state = (page: Page): Promise<PageState> => page.evaluate(() => (globalThis as unknown as { playground: PageState }).playground);

/** Wait until the page is idle and `ready(state)` holds. */
async function settle(page: Page, ready: string): Promise<PageState> {
  await page.waitForFunction(`window.playground && window.playground.busy === 0 && (${ready})`, undefined, { timeout: 60_000 });
  return state(page);
}

describe('web playground in Chromium (test/web)', function () {
  this.timeout(120_000);
  let browser: Browser | null = null;
  let server: WebServer | null = null;
  let page: Page;
  const consoleErrors: string[] = [];

  before(async function () {
    browser = await launchChromium(this, FLAGS);
    await buildOnce();
    server = await serveStatic();
    page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
    await page.goto(server.url);
    await settle(page, 'window.playground.study !== null');
  });

  after(async function () {
    await browser?.close();
    await server?.close();
  });

  it('runs the default study on load and renders its four plots', async function () {
    const s = await state(page);
    expect(s.errors, 'errors shown in the page').to.deep.equal([]);
    const study = s.study!;
    expect(study.failures).to.deep.equal([]);
    const schemes = new Set(study.rows.map((r) => r.scheme));
    expect([...schemes].sort()).to.deep.equal(['fractional', 'kaiming_normal', 'lecun_normal', 'meanfield', 'xavier_normal']);
    // Default depth 16: the input row plus one row per hidden layer, for every scheme.
    expect(study.rows.length).to.equal(5 * 17);
    for (const r of study.rows) {
      expect(Number.isFinite(r.secondMoment) && r.secondMoment > 0, `E[h²] of ${r.scheme} layer ${r.layer}`).to.equal(true);
      expect(Number.isFinite(r.sMoment) && r.sMoment > 0, `s-moment of ${r.scheme} layer ${r.layer}`).to.equal(true);
    }
    // He (Var = 2/fan_in) keeps E[h²] of a ReLU net in expectation; LeCun (Var = 1/fan_in) halves it per layer, so at
    // depth 16 the two differ by 2^16 ≈ 65,000 in expectation. One draw at width 128 scatters each by a log-normal
    // factor with σ(ln) ≈ √(16 · 5/128) ≈ 0.8 (per-layer relative variance ≈ 5/N for ReLU); demanding 1,000
    // (ln 6.9 against the expected ln 11.1) leaves a margin of over 3.5 σ of the difference.
    const top = (name: string): number => study.rows.find((r) => r.scheme === name && r.layer === 16)!.secondMoment;
    expect(top('kaiming_normal') / top('lecun_normal')).to.be.greaterThan(1000);
    // γ_l for each of the 17 weight layers of each scheme (ReLU is the default activation).
    expect(study.gammas.length).to.equal(5 * 17);
    for (const g of study.gammas) expect(Number.isFinite(g.gamma) && g.gamma > 0, `γ of ${g.scheme} layer ${g.layer}`).to.equal(true);
    for (const id of ['plot-moment', 'plot-smoment', 'plot-dead', 'plot-gamma']) {
      const plot = page.locator(`#${id}`);
      expect(await plot.getAttribute('data-state'), id).to.equal('rendered');
      // One line per scheme, drawn as SVG paths with points.
      expect(await plot.locator('svg path').count(), `${id} paths`).to.be.greaterThan(5);
      expect(await plot.locator('svg .mark-symbol path, svg .mark-symbol').count(), `${id} points`).to.be.greaterThan(0);
    }
  });

  it('shows the backend that ran and the WebGL renderer, and auto picks by the probes', async function () {
    const s = await state(page);
    const b = s.backend!;
    expect(['wasm', 'gpu']).to.include(b.active);
    expect(b.renderer).to.not.match(/^no gpu backend/);
    // Headless Chromium renders in software: the gpu probe says not fast, so auto takes the wasm SIMD kernels.
    if (b.software === true) expect(b.auto).to.equal('wasm');
    expect(await page.locator('#backend-info').innerText()).to.contain(b.renderer);
  });

  it('runs gpu.js kernels on WebGL2 that agree with the CPU kernels within the float32 bound (sizes 1..300)', async function () {
    await page.click('#run-agreement');
    const s = await settle(page, 'window.playground.agreement !== null');
    const a = s.agreement!;
    expect(a.degraded).to.equal(false);
    expect(a.gpuMatmuls).to.equal(a.trials.length);
    for (const t of a.trials) {
      expect([t.m, t.k, t.n].every((d) => d >= 1 && d <= 300)).to.equal(true);
      expect(t.ok, `page check ${t.m}x${t.k}x${t.n}: ratio ${t.worstRatio}`).to.equal(true);
    }
    // And independently of the page's own check: matrices drawn here, multiplied by the page's gpu backend, compared
    // with this process's CPU kernels under the same bound.
    const rng = createStream(SEED, 3);
    const cpu = new CpuBackend();
    for (let t = 0; t < 4; t++) {
      const [m, k, n] = [1 + rng.nextInt(300), 1 + rng.nextInt(300), 1 + rng.nextInt(300)];
      const a32 = Float32Array.from({ length: m * k }, () => rng.nextNormal());
      const b32 = Float32Array.from({ length: k * n }, () => rng.nextNormal());
      const got = await page.evaluate(async ([av, bv, dims]) => {
        const lib = await import('./initlab.js' as string) as { backendInstance(name: string): { matmul(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array; gpuCalls: Map<string, number> } };
        const gpu = lib.backendInstance('gpu');
        const before = gpu.gpuCalls.get('matmul') ?? 0;
        const c = gpu.matmul(Float32Array.from(av), Float32Array.from(bv), dims[0]!, dims[1]!, dims[2]!);
        return { c: Array.from(c), onGpu: (gpu.gpuCalls.get('matmul') ?? 0) - before };
      }, [Array.from(a32), Array.from(b32), [m, k, n]] as const);
      expect(got.onGpu, `${m}x${k}x${n} ran on WebGL`).to.equal(1);
      const ref = cpu.matmul(a32, b32, m, k, n);
      const r = agreement(Float32Array.from(got.c), ref, gemmErrorBound(a32, b32, null, m, k, n));
      expect(r.ok, `${m}x${k}x${n}: |Δ| / bound = ${r.worstRatio} at ${r.worstIndex}`).to.equal(true);
    }
  });

  it('trains an MLP on the bundled MNIST subset and the loss goes down', async function () {
    await page.fill('input[name=steps]', '40');
    await page.click('#run-train');
    const s = await settle(page, 'window.playground.training !== null');
    const pts = s.training!.points;
    expect(pts.length).to.equal(40);
    const mean = (xs: { loss: number }[]): number => xs.reduce((a, x) => a + x.loss, 0) / xs.length;
    // Untrained: ≈ ln 10 = 2.30; 40 Adam steps at lr 1e-3, batch 64, bring a 2-layer MLP well under 1.5 on MNIST.
    expect(mean(pts.slice(0, 5))).to.be.greaterThan(1.8);
    expect(mean(pts.slice(-5))).to.be.lessThan(mean(pts.slice(0, 5)) - 0.5);
    expect(s.training!.testAccuracy).to.be.greaterThan(0.5);
    const loss = page.locator('#plot-loss');
    expect(await loss.getAttribute('data-points')).to.equal('40');
    expect(await loss.locator('svg path').count()).to.be.greaterThan(0);
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: join(OUT, 'playground.png'), fullPage: true });
  });

  it('shows a typed error for bad input, in the page', async function () {
    await page.fill('input[name=depth]', '0');
    await page.click('#run-study');
    await settle(page, 'window.playground.errors.length > 0');
    const box = page.locator('#error');
    expect(await box.isVisible()).to.equal(true);
    expect(await box.innerText()).to.equal('DomainError: depth must be a positive integer, got 0');
    await page.fill('input[name=depth]', '4');
    await page.fill('input[name=gamma]', '2');
    await page.click('#run-study');
    await settle(page, 'window.playground.errors.length > 1');
    expect(await box.innerText()).to.match(/^DomainError: γ \(mean-field\) must be in \[0\.5, 1\], got 2$/);
  });

  it('logs no console error', function () {
    expect(consoleErrors).to.deep.equal([]);
  });
});
