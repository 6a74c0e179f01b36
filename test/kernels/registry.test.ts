/**
 * Choosing a backend: the registry with fake providers (the rule of 'auto', fallbacks, names), the gpu
 * provider's probe and the errors when no GPU context exists. These tests inject the failing pieces (gl module,
 * display, renderer), so they run with or without a display.
 */
import { expect } from 'chai';
import { BackendError } from '../../src/core/errors.js';
import { agreement, gemmErrorBound } from '../../src/kernels/agreement.js';
import { CpuBackend } from '../../src/kernels/cpu/backend.js';
import { cpuProvider } from '../../src/kernels/cpu/index.js';
import { createGLContext, isSoftwareRenderer, probeRenderer, type GLFactory } from '../../src/kernels/gpu/context.js';
import { gpuProvider, makeGpuProvider, probeFromRenderer } from '../../src/kernels/gpu/index.js';
import { BUILTIN_BACKENDS } from '../../src/kernels/builtin.js';
import {
  autoDecision,
  BackendRegistry,
  backendInstance,
  decideAuto,
  getBackend,
  listBackends,
  registerBackend,
  setBackend,
} from '../../src/kernels/registry.js';
import { randomFloat32 } from '../support/gpu-helpers.js';
import { FakeBackend, fakeProvider } from './fakes.js';

const noContext: GLFactory = () => null;

/** A registry of fakes whose 'auto' announcements land in `lines`. */
function fakeRegistry(...providers: Parameters<typeof fakeProvider>[]): { registry: BackendRegistry; lines: string[] } {
  const lines: string[] = [];
  const registry = new BackendRegistry(providers.map(([name, o]) => fakeProvider(name, o)), { announce: (l) => lines.push(l) });
  return { registry, lines };
}

describe('backend registry', () => {
  describe("'auto' over providers", () => {
    it('picks the highest-priority provider that is available and fast, whatever the registration order', () => {
      const { registry, lines } = fakeRegistry(
        ['low', { priority: 1, reason: 'low is fine' }],
        ['high', { priority: 50, reason: 'high is fine' }],
        ['mid', { priority: 10 }],
      );
      const b = registry.set('auto');
      expect(b.name).to.equal('high');
      expect(registry.get()).to.equal(b);
      expect(registry.autoDecision()).to.deep.equal({ backend: 'high', reason: 'high: high is fine', skipped: [] });
      expect(lines).to.deep.equal([]); // the best fast backend is the expected default: no notice
    });

    it('skips an unavailable provider and a slow one, saying why for each', () => {
      const { registry, lines } = fakeRegistry(
        ['ref', { priority: 0, reference: true }],
        ['slow', { priority: 20, fast: false, reason: 'runs on a software renderer' }],
        ['absent', { priority: 30, available: false, reason: 'no device found' }],
        ['chosen', { priority: 10, reason: 'device ok' }],
      );
      expect(registry.set('auto').name).to.equal('chosen');
      const d = registry.autoDecision();
      expect(d.skipped).to.deep.equal([
        { name: 'absent', reason: 'unavailable: no device found' },
        { name: 'slow', reason: 'not fast: runs on a software renderer' },
      ]);
      expect(d.reason).to.equal('absent unavailable: no device found; slow not fast: runs on a software renderer; chosen: device ok');
      expect(lines).to.deep.equal([]); // unavailable or slow providers are not news: setting them up changes nothing
    });

    it('does not create a skipped provider, and probes once per decision', () => {
      const absent = fakeProvider('absent', { priority: 9, available: false });
      const ok = fakeProvider('ok', { priority: 1 });
      const registry = new BackendRegistry([absent, ok], { announce: () => undefined });
      registry.get();
      registry.autoDecision();
      expect(absent.creates).to.equal(0);
      expect(ok.creates).to.equal(1);
      expect(absent.probes).to.equal(1);
    });

    it('falls back to the next provider when create() fails, and says why', () => {
      const { registry, lines } = fakeRegistry(
        ['ref', { priority: 0, reference: true, reason: 'always there' }],
        ['broken', { priority: 9, createFails: 'shader compiler missing' }],
        ['second', { priority: 5, createFails: 'driver too old' }],
      );
      expect(registry.set('auto').name).to.equal('ref');
      const d = registry.autoDecision();
      expect(d.backend).to.equal('ref');
      expect(d.skipped).to.deep.equal([
        { name: 'broken', reason: 'failed to start: shader compiler missing' },
        { name: 'second', reason: 'failed to start: driver too old' },
      ]);
      expect(lines).to.deep.equal([
        'initlab: backend auto -> ref: broken failed to start: shader compiler missing; second failed to start: driver too old; ' +
          'ref: always there (INITLAB_QUIET=1 silences this)',
      ]);
    });

    it('falls back to the reference when nothing is fast, and says so', () => {
      const { registry } = fakeRegistry(
        ['ref', { priority: 0, reference: true, fast: false, reason: 'exact but slow' }],
        ['slow', { priority: 5, fast: false, reason: 'software' }],
      );
      expect(registry.set('auto').name).to.equal('ref');
      expect(registry.autoDecision().reason).to.equal('slow not fast: software; ref: the reference backend, though not fast: exact but slow');
    });

    it('throws BackendError with every reason when no provider can be used, leaving the active backend as it was', () => {
      const { registry } = fakeRegistry(
        ['a', { available: false, reason: 'no a here' }],
        ['b', { priority: 3, createFails: 'b exploded' }],
      );
      expect(() => registry.set('auto')).to.throw(BackendError, /found no usable backend among \["b", "a"\]: b failed to start: b exploded; a unavailable: no a here/);
      const { registry: empty } = fakeRegistry();
      expect(() => empty.get()).to.throw(BackendError, /no usable backend among \[\]/);
    });

    it('treats a probe that throws as unavailable, with the error as its reason', () => {
      const { registry } = fakeRegistry(['ref', { reference: true }], ['flaky', { priority: 4, probeThrows: 'boom' }]);
      expect(registry.set('auto').name).to.equal('ref');
      expect(registry.autoDecision().skipped).to.deep.equal([{ name: 'flaky', reason: 'unavailable: probe failed: boom' }]);
    });

    it('keeps registration order among equal priorities', () => {
      expect(decideAuto([fakeProvider('first', { priority: 2 }), fakeProvider('second', { priority: 2 })]).backend).to.equal('first');
      expect(decideAuto([fakeProvider('second', { priority: 2 }), fakeProvider('first', { priority: 2 })]).backend).to.equal('second');
    });

    it('announces once per registry', () => {
      const { registry, lines } = fakeRegistry(['x', { priority: 5, createFails: 'driver too old' }], ['y', { priority: 1 }]);
      registry.set('auto');
      registry.set('auto');
      registry.get();
      expect(lines).to.have.length(1);
    });

    it("INITLAB_BACKEND overrides 'auto' (not an explicit name); unset, '' or 'auto' leave it to the probes; a bad name is a BackendError naming it", () => {
      const providers = [fakeProvider('fast', { priority: 50 }), fakeProvider('slow', { priority: 1 })];
      let env: string | undefined = 'slow';
      const registry = new BackendRegistry(providers, { announce: () => undefined, override: () => env });
      expect(registry.get().name).to.equal('slow');
      expect(registry.set('auto').name).to.equal('slow');
      expect(registry.set('fast').name).to.equal('fast'); // setBackend with a name wins over the variable
      for (const v of [undefined, '', 'auto']) {
        env = v;
        expect(registry.set('auto').name, String(v)).to.equal('fast');
      }
      env = 'nope';
      expect(() => registry.set('auto')).to.throw(BackendError, /^INITLAB_BACKEND must be one of \["auto", "fast", "slow"\] \(or unset\), got "nope"$/);
      expect(registry.get().name).to.equal('fast'); // the failed set left the active backend as it was
      // Without options.override, the environment variable itself is read.
      const saved = process.env.INITLAB_BACKEND;
      try {
        process.env.INITLAB_BACKEND = 'slow';
        expect(new BackendRegistry(providers, { announce: () => undefined }).get().name).to.equal('slow');
      } finally {
        if (saved === undefined) delete process.env.INITLAB_BACKEND;
        else process.env.INITLAB_BACKEND = saved;
      }
    });

    it('INITLAB_QUIET=1 silences the default announcement on stderr; without it, one line is written', () => {
      const saved = process.env.INITLAB_QUIET;
      const write = process.stderr.write;
      const written: string[] = [];
      process.stderr.write = ((s: string) => written.push(s) > 0) as typeof process.stderr.write;
      try {
        process.env.INITLAB_QUIET = '1';
        new BackendRegistry([fakeProvider('broken', { priority: 5, createFails: 'no driver' }), fakeProvider('quiet')]).set('auto');
        expect(written).to.deep.equal([]);
        delete process.env.INITLAB_QUIET;
        new BackendRegistry([fakeProvider('broken', { priority: 5, createFails: 'no driver' }), fakeProvider('loud')]).set('auto');
        expect(written).to.deep.equal([
          'initlab: backend auto -> loud: broken failed to start: no driver; loud: loud probe reason (INITLAB_QUIET=1 silences this)\n',
        ]);
      } finally {
        process.stderr.write = write;
        if (saved === undefined) delete process.env.INITLAB_QUIET;
        else process.env.INITLAB_QUIET = saved;
      }
    });
  });

  describe('names', () => {
    it('a provider registered by name is listed and selectable, and reconsidered by auto', () => {
      const { registry } = fakeRegistry(['ref', { reference: true }]);
      expect(registry.autoDecision().backend).to.equal('ref');
      registry.register(fakeProvider('newcomer', { priority: 7 }));
      expect(registry.names()).to.deep.equal(['auto', 'ref', 'newcomer']);
      expect(registry.set('newcomer')).to.be.instanceOf(FakeBackend);
      expect(registry.get().name).to.equal('newcomer');
      expect(registry.autoDecision().backend).to.equal('newcomer');
    });

    it('registering a name again replaces the provider and drops its instance', () => {
      const { registry } = fakeRegistry(['x', {}]);
      const first = registry.instance('x');
      expect(registry.instance('x')).to.equal(first);
      registry.register(fakeProvider('x', { reason: 'second x' }));
      expect(registry.instance('x')).to.not.equal(first);
      expect(registry.names()).to.deep.equal(['auto', 'x']);
    });

    it('an unknown name is a BackendError listing the names and the name given', () => {
      const { registry } = fakeRegistry(['alpha', {}], ['beta', {}]);
      expect(() => registry.set('gamma')).to.throw(BackendError, 'backend must be one of ["auto", "alpha", "beta"], got "gamma"');
      expect(() => setBackend('no-such-backend')).to.throw(BackendError, /backend must be one of \["auto", "cpu", "gpu".*\], got "no-such-backend"/);
    });

    it("rejects a provider named 'auto'", () => {
      expect(() => new BackendRegistry([fakeProvider('auto')])).to.throw(BackendError, /must not be "auto"/);
    });

    it('a failing create() of a named backend throws and leaves the active backend unchanged', () => {
      const { registry } = fakeRegistry(['ok', {}], ['bad', { createFails: 'cannot start bad' }]);
      const before = registry.set('ok');
      expect(() => registry.set('bad')).to.throw(Error, 'cannot start bad');
      expect(registry.get()).to.equal(before);
    });
  });

  describe('the default registry', () => {
    it('holds the built-in backends, the CPU one as reference', () => {
      expect(listBackends().slice(0, 1 + BUILTIN_BACKENDS.length)).to.deep.equal(['auto', ...BUILTIN_BACKENDS.map((p) => p.name)]);
      expect(BUILTIN_BACKENDS.filter((p) => p.reference === true).map((p) => p.name)).to.deep.equal(['cpu']);
      expect(backendInstance('cpu')).to.be.instanceOf(CpuBackend);
    });

    it('registerBackend(provider) makes a new backend listed and selectable through the package functions', () => {
      const previous = getBackend();
      registerBackend(fakeProvider('registry-test-fake', { priority: -1, fast: false }));
      try {
        expect(listBackends()).to.include('registry-test-fake');
        expect(setBackend('registry-test-fake')).to.be.instanceOf(FakeBackend);
        expect(getBackend().name).to.equal('registry-test-fake');
        expect(autoDecision().backend).to.not.equal('registry-test-fake');
      } finally {
        setBackend(previous.name);
      }
    });

    it('registerBackend(name, factory) still works: listed, selectable, never chosen by auto', () => {
      const previous = getBackend();
      registerBackend('registry-test-factory', () => new FakeBackend('registry-test-factory'));
      try {
        expect(listBackends()).to.include('registry-test-factory');
        expect(setBackend('registry-test-factory').name).to.equal('registry-test-factory');
        expect(autoDecision().backend).to.not.equal('registry-test-factory');
        expect(autoDecision().reason).to.not.include('registry-test-factory');
      } finally {
        setBackend(previous.name);
      }
    });
  });
});

describe('gpu backend choice', () => {
  describe('no GPU context', () => {
    it('names the missing native module and the packages to install', () => {
      const loadGl = (): GLFactory => {
        throw new Error("Cannot find module 'gl'");
      };
      expect(() => createGLContext({ loadGl, env: { DISPLAY: ':0' } }))
        .to.throw(BackendError, /`gl` \(headless-gl\) is not built.*libxi-dev.*npm rebuild gl/);
    });

    it('says to use xvfb-run when there is no X display', () => {
      expect(() => createGLContext({ loadGl: () => noContext, env: {} }))
        .to.throw(BackendError, /no X display.*xvfb-run -a/);
    });

    it('names the display when a context cannot be created on it', () => {
      expect(() => createGLContext({ loadGl: () => noContext, env: { DISPLAY: ':42' } }))
        .to.throw(BackendError, /DISPLAY=:42.*libgl1-mesa-dri/);
    });

    it('INITLAB_GPU_FAIL=context simulates a missing context', () => {
      expect(() => createGLContext({ env: { INITLAB_GPU_FAIL: 'context', DISPLAY: ':0' } }))
        .to.throw(BackendError, /INITLAB_GPU_FAIL=context/);
    });

    it("setBackend('gpu') raises BackendError and leaves the active backend unchanged", () => {
      const before = getBackend();
      registerBackend(makeGpuProvider({ contextFactory: () => createGLContext({ loadGl: () => noContext, env: {} }) }));
      try {
        expect(() => setBackend('gpu')).to.throw(BackendError, /no X display/);
        expect(getBackend()).to.equal(before);
      } finally {
        registerBackend(gpuProvider);
      }
    });
  });

  describe("'auto' with the gpu provider", () => {
    const gpuOn = (renderer: string) => ({
      ...makeGpuProvider(),
      probe: () => probeFromRenderer(() => ({ renderer, vendor: 'test', software: isSoftwareRenderer(renderer) })),
    });

    it('never picks a software renderer', () => {
      for (const r of [
        'ANGLE (Mesa/X.org llvmpipe (LLVM 15.0.6, 256 bits) OpenGL 4.5 core)',
        'softpipe',
        'Google SwiftShader',
        'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
        'Mesa/X.org swrast',
        'Microsoft Basic Render Driver',
      ]) {
        const d = decideAuto([cpuProvider, gpuOn(r)]);
        expect(d.backend, r).to.equal('cpu');
        expect(d.reason).to.match(/software renderer/);
        expect(d.reason).to.include(r);
        expect(probeFromRenderer(() => ({ renderer: r, vendor: 'v', software: isSoftwareRenderer(r) }))).to.include({ available: true, fast: false });
      }
    });

    it('picks the GPU on a hardware renderer', () => {
      for (const r of ['ANGLE (NVIDIA Corporation NVIDIA GeForce RTX 3060/PCIe/SSE2 OpenGL 4.5.0)', 'AMD Radeon Pro 5500M', 'Mesa Intel(R) UHD Graphics 620 (KBL GT2)']) {
        expect(decideAuto([cpuProvider, gpuOn(r)]).backend, r).to.equal('gpu');
      }
    });

    it('falls back to the CPU, with the reason, when there is no context', () => {
      const gpu = makeGpuProvider({ contextFactory: () => createGLContext({ loadGl: () => noContext, env: {} }) });
      const d = decideAuto([cpuProvider, gpu]);
      expect(d.backend).to.equal('cpu');
      expect(d.skipped).to.have.length(1);
      expect(d.skipped[0].name).to.equal('gpu');
      expect(d.reason).to.match(/no X display/);
      expect(probeFromRenderer(() => probeRenderer(() => createGLContext({ loadGl: () => noContext, env: {} }))))
        .to.include({ available: false, fast: false });
    });

    it('probes the context once per provider', () => {
      let opened = 0;
      const gpu = makeGpuProvider({
        contextFactory: () => {
          opened++;
          return createGLContext({ loadGl: () => noContext, env: {} });
        },
      });
      gpu.probe();
      gpu.probe();
      decideAuto([cpuProvider, gpu]);
      expect(opened).to.equal(1);
    });

    it('on this machine: reports its choice, and a software renderer is never chosen', () => {
      const d = autoDecision();
      console.log(`      auto -> ${d.backend}: ${d.reason}`);
      expect(listBackends()).to.include(d.backend);
      const gpu = gpuProvider.probe();
      if (!gpu.fast) expect(d.backend).to.not.equal('gpu');
      if (/software renderer/.test(gpu.reason)) expect(gpu.fast).to.equal(false);
    });
  });

  describe('the float32 agreement bound', () => {
    it('accepts the CPU result itself and rejects an error just beyond the bound', () => {
      const [m, k, n] = [4, 50, 3];
      const a = randomFloat32(m * k, 1);
      const b = randomFloat32(k * n, 2);
      const bound = gemmErrorBound(a, b, null, m, k, n);
      const ref = Float64Array.from({ length: m * n }, (_, i) => i / 7);
      expect(agreement(ref, ref, bound).ok).to.equal(true);
      const off = ref.slice();
      off[5] += 1.01 * bound[5];
      const r = agreement(off, ref, bound);
      expect(r.ok).to.equal(false);
      expect(r.worstIndex).to.equal(5);
      expect(agreement(Float64Array.of(NaN), Float64Array.of(0), Float64Array.of(1)).ok).to.equal(false);
    });

    it('is (k + 2)·eps32·(|A||B| + |bias|) + k·2^-126, with |A||B| as the CPU kernels compute it, for every transpose', () => {
      const cpu = new CpuBackend();
      const [m, k, n] = [5, 37, 6];
      const a = randomFloat32(m * k, 3);
      const b = randomFloat32(k * n, 4);
      const bias = randomFloat32(n, 5);
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const flags = { transposeA, transposeB };
          const mag = cpu.matmul(Float64Array.from(a, Math.abs), Float64Array.from(b, Math.abs), m, k, n, flags);
          const bound = gemmErrorBound(a, b, bias, m, k, n, flags);
          for (let i = 0; i < m * n; i++) {
            const want = (k + 2) * 2 ** -23 * (mag[i] + Math.abs(bias[i % n])) + k * 2 ** -126;
            expect(bound[i], `ta=${transposeA} tb=${transposeB} entry ${i}`).to.be.closeTo(want, 1e-14 * want);
          }
        }
      }
    });
  });
});
