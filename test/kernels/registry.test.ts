/**
 * Choosing a backend: the errors when no GPU context exists and the rule of 'auto'. These tests
 * inject the failing pieces (gl module, display, renderer), so they run with or without a display.
 */
import { expect } from 'chai';
import { BackendError } from '../../src/core/errors.js';
import { agreement, gemmErrorBound } from '../../src/kernels/gpu/agreement.js';
import { GpuBackend } from '../../src/kernels/gpu/backend.js';
import { createGLContext, isSoftwareRenderer, probeRenderer, type GLFactory } from '../../src/kernels/gpu/context.js';
import {
  autoDecision,
  decideAuto,
  getBackend,
  registerBackend,
  setBackend,
} from '../../src/kernels/registry.js';
import { randomFloat32 } from '../support/gpu-helpers.js';

const noContext: GLFactory = () => null;

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
      registerBackend('gpu', () => new GpuBackend({ contextFactory: () => createGLContext({ loadGl: () => noContext, env: {} }) }));
      try {
        expect(() => setBackend('gpu')).to.throw(BackendError, /no X display/);
        expect(getBackend()).to.equal(before);
      } finally {
        registerBackend('gpu', () => new GpuBackend());
      }
    });
  });

  describe("'auto'", () => {
    const probe = (renderer: string) => () => ({ renderer, vendor: 'test', software: isSoftwareRenderer(renderer) });

    it('never picks a software renderer', () => {
      for (const r of [
        'ANGLE (Mesa/X.org llvmpipe (LLVM 15.0.6, 256 bits) OpenGL 4.5 core)',
        'softpipe',
        'Google SwiftShader',
        'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
        'Mesa/X.org swrast',
        'Microsoft Basic Render Driver',
      ]) {
        const d = decideAuto(probe(r));
        expect(d.backend, r).to.equal('cpu');
        expect(d.reason).to.match(/software renderer/);
        expect(d.renderer).to.equal(r);
      }
    });

    it('picks the GPU on a hardware renderer', () => {
      for (const r of ['ANGLE (NVIDIA Corporation NVIDIA GeForce RTX 3060/PCIe/SSE2 OpenGL 4.5.0)', 'AMD Radeon Pro 5500M', 'Mesa Intel(R) UHD Graphics 620 (KBL GT2)']) {
        expect(decideAuto(probe(r)).backend, r).to.equal('gpu');
      }
    });

    it('falls back to the CPU, with the reason, when there is no context', () => {
      const d = decideAuto(() => probeRenderer(() => createGLContext({ loadGl: () => noContext, env: {} })));
      expect(d).to.deep.equal({ backend: 'cpu', reason: d.reason });
      expect(d.reason).to.match(/no X display/);
    });

    it('on this machine: reports its choice, and a software renderer is never chosen', () => {
      const d = autoDecision();
      console.log(`      auto -> ${d.backend}: ${d.reason}`);
      expect(d.backend === 'gpu' || d.backend === 'cpu').to.equal(true);
      if (d.renderer !== undefined && isSoftwareRenderer(d.renderer)) expect(d.backend).to.equal('cpu');
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
  });
});
