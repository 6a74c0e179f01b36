/**
 * The wasm backend's worker threads: results equal the one-thread results bit for bit (each column range runs
 * the same instructions whichever thread runs it), small products stay on the calling thread, a dead worker is
 * replaced, bad options are typed errors, and the pool never keeps a process alive.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DomainError } from '../../src/core/errors.js';
import { wasmApi } from '../../src/kernels/wasm/engine.js';
import { WasmBackend } from '../../src/kernels/wasm/index.js';
import { simdProbeModule } from '../../src/kernels/wasm/kernels.js';
import { randomFloat32 } from '../support/gpu-helpers.js';

const SEED = 20261130;

const bits = (x: ArrayLike<number>): number[] => Array.from(new Uint32Array(Float32Array.from(x).buffer));

describe('wasm backend threads', function () {
  this.timeout(120000);
  const one = new WasmBackend({ threads: 1 });
  const three = new WasmBackend({ threads: 3, minThreadFlops: 0 });

  before(function () {
    if (wasmApi === null || !wasmApi.validate(simdProbeModule())) this.skip();
  });
  after(() => three.pool?.close());

  it('three threads give the one-thread results bit for bit (random shapes, layouts, bias and ReLU)', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 4, max: 200 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 200 })),
        fc.boolean(), fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 1e6 }),
        ([m, k, n], ta, tb, fused, seed) => {
          const a = randomFloat32(m * k, seed);
          const b = randomFloat32(k * n, seed + 1);
          const bias = randomFloat32(n, seed + 2);
          const flags = { transposeA: ta, transposeB: tb };
          expect(bits(three.matmul(a, b, m, k, n, flags))).to.deep.equal(bits(one.matmul(a, b, m, k, n, flags)));
          if (fused) {
            const lin = { transposeB: tb, relu: true };
            expect(bits(three.linear(a, b, bias, m, k, n, lin))).to.deep.equal(bits(one.linear(a, b, bias, m, k, n, lin)));
          }
        },
      ),
      { seed: SEED, numRuns: 25 },
    );
    expect(three.pool?.started).to.equal(2);
    expect(three.pool?.retries, 'ranges the calling thread had to redo').to.equal(0);
    const r = three.matmul(randomFloat32(64, 1), randomFloat32(64 * 16, 2), 4, 16, 64);
    expect(r.buffer).to.be.instanceOf(ArrayBuffer); // a copy, not a view of the shared memory
    expect(r.byteLength).to.equal(r.buffer.byteLength);
  });

  it('keeps products below the size threshold on the calling thread (no worker started)', () => {
    const backend = new WasmBackend({ threads: 2, minThreadFlops: 2 * 64 ** 3 + 1 });
    backend.matmul(randomFloat32(64 * 64, 3), randomFloat32(64 * 64, 4), 64, 64, 64);
    expect(backend.pool?.started).to.equal(0);
    backend.matmul(randomFloat32(65 * 64, 3), randomFloat32(64 * 64, 4), 65, 64, 64); // 68 x 64 x 64 padded: above
    expect(backend.pool?.started).to.equal(1);
    backend.pool?.close();
  });

  it('replaces a worker that died, with the same results', async () => {
    const backend = new WasmBackend({ threads: 2, minThreadFlops: 0 });
    const [m, k, n] = [40, 70, 90];
    const a = randomFloat32(m * k, 5);
    const b = randomFloat32(k * n, 6);
    const want = bits(one.matmul(a, b, m, k, n));
    expect(bits(backend.matmul(a, b, m, k, n))).to.deep.equal(want);
    await backend.pool?.kill(0);
    await new Promise((resolve) => setImmediate(resolve)); // let the 'exit' event be seen
    expect(backend.pool?.live).to.equal(0);
    expect(bits(backend.matmul(a, b, m, k, n))).to.deep.equal(want);
    expect(backend.pool?.started).to.equal(2);
    expect(backend.pool?.retries).to.equal(0);
    backend.pool?.close();
  });

  it('rejects a bad thread count or threshold with DomainError', () => {
    expect(() => new WasmBackend({ threads: 0 })).to.throw(DomainError, /threads must be an integer in \[1, 256\], got 0/);
    expect(() => new WasmBackend({ threads: 1.5 })).to.throw(DomainError, /got 1.5/);
    expect(() => new WasmBackend({ minThreadFlops: Number.NaN })).to.throw(DomainError, /minThreadFlops must be a number >= 0, got NaN/);
  });

  it('never keeps the process alive: a child process that ran a threaded product exits on its own', () => {
    const backend = fileURLToPath(new URL('../../src/kernels/wasm/backend.ts', import.meta.url));
    const script = [
      `import { WasmBackend } from ${JSON.stringify(backend)};`,
      'const w = new WasmBackend({ threads: 2, minThreadFlops: 0 });',
      'const c = w.matmul(new Float32Array(64 * 64).fill(1), new Float32Array(64 * 64).fill(2), 64, 64, 64);',
      'console.log(JSON.stringify({ c0: c[0], started: w.pool.started, retries: w.pool.retries }));',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60000 });
    expect(child.error, 'the child did not exit within 60 s').to.equal(undefined);
    expect(child.status, child.stderr).to.equal(0);
    // retries 0: the worker did its share (a worker that failed to start would also let the process exit).
    expect(JSON.parse(child.stdout.trim())).to.deep.equal({ c0: 128, started: 1, retries: 0 });
  });
});
