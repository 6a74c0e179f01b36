// LPS-R (reconstruction; docs/schemes/lps.md) for 2-D convolutions: lpsConv2d against a direct convolution.
import { expect } from 'chai';
import { DomainError, NonFiniteError, ShapeError } from '../../../src/core/errors.js';
import { type ImageBatch, lpsConv2d } from '../../../src/init/lps/conv2d.js';
import { createRng } from '../../../src/init/support/rng.js';

describe('init/lps: LPS-R (reconstruction) conv2d', () => {
  const makeInput = (seed: number, B: number, C: number, H: number, W: number): ImageBatch => {
    const rng = createRng(seed);
    return { data: Float64Array.from({ length: B * C * H * W }, () => rng.nextNormal()), shape: [B, C, H, W] };
  };

  for (const geom of [
    { kh: 3, kw: 3, stride: 1, pad: 1, maxPatches: 20000 },
    { kh: 3, kw: 2, stride: [2, 1] as const, pad: [1, 0] as const, maxPatches: 20000 },
    { kh: 2, kw: 2, stride: 1, pad: 0, maxPatches: 30 },
  ]) {
    it(`equals a direct convolution at the anchors, mean z² = 1 (kernel ${geom.kh}x${geom.kw}, stride ${JSON.stringify(geom.stride)}, pad ${JSON.stringify(geom.pad)}, maxPatches ${geom.maxPatches})`, () => {
      const input = makeInput(21, 3, 2, 6, 5);
      const cOut = 4;
      const res = lpsConv2d(input, cOut, geom.kh, geom.kw, createRng(22), { stride: geom.stride, pad: geom.pad, dtype: 'float64', maxPatches: geom.maxPatches });
      expect(res.shape).to.deep.equal([cOut, 2, geom.kh, geom.kw]);
      expect(res.W.length).to.equal(cOut * 2 * geom.kh * geom.kw);
      const { out, Ho, Wo } = directConv(input, res.W, res.b, cOut, geom.kh, geom.kw, geom.stride, geom.pad);
      expect([Ho, Wo]).to.deep.equal([...res.outSize]);
      expect(res.k).to.equal(Math.min(2 * geom.kh * geom.kw + 1, geom.maxPatches));
      res.anchorPatches.forEach(([s, oy, ox], a) => {
        for (let co = 0; co < cOut; co++) {
          const z = out[((s * cOut + co) * Ho + oy) * Wo + ox]!;
          const t = res.targets[a * cOut + co]!;
          expect(Math.abs(z - t)).to.be.at.most(1e-9 * Math.max(1, Math.abs(t)));
        }
      });
      if (geom.maxPatches >= 3 * Ho * Wo) {
        let ms = 0;
        for (const z of out) ms += z * z;
        expect(Math.abs(ms / out.length - 1)).to.be.at.most(1e-10);
      }
    });
  }

  it('rejects bad geometry and inputs', () => {
    const input = makeInput(1, 2, 1, 4, 4);
    expect(() => lpsConv2d({ data: new Float64Array(0), shape: [0, 1, 4, 4] }, 2, 3, 3, createRng(1))).to.throw(ShapeError, /input must contain at least one sample/);
    expect(() => lpsConv2d(input, 2, 5, 5, createRng(1))).to.throw(ShapeError, /does not fit/);
    expect(() => lpsConv2d(input, 0, 3, 3, createRng(1))).to.throw(ShapeError, /cOut/);
    expect(() => lpsConv2d(input, 2, 3, 3, createRng(1), { stride: 0 })).to.throw(DomainError, /options\.stride/);
    const bad = Float64Array.from(input.data);
    bad[5] = Number.NaN;
    expect(() => lpsConv2d({ data: bad, shape: [2, 1, 4, 4] }, 2, 3, 3, createRng(1))).to.throw(NonFiniteError, /input\.data/);
  });
});

// ----------------------------------------------------------------------------------------------------------------
// Independent helpers

/** Direct 2-D convolution (NCHW, weights [cOut, cIn, kh, kw], zero padding), written without im2col. */
function directConv(
  input: ImageBatch,
  W: ArrayLike<number>,
  b: ArrayLike<number>,
  cOut: number,
  kh: number,
  kw: number,
  strideOpt: number | readonly [number, number],
  padOpt: number | readonly [number, number],
): { out: Float64Array; Ho: number; Wo: number } {
  const [B, C, H, Wd] = input.shape;
  const [sh, sw] = typeof strideOpt === 'number' ? [strideOpt, strideOpt] : strideOpt;
  const [ph, pw] = typeof padOpt === 'number' ? [padOpt, padOpt] : padOpt;
  const Ho = Math.floor((H + 2 * ph - kh) / sh) + 1;
  const Wo = Math.floor((Wd + 2 * pw - kw) / sw) + 1;
  const out = new Float64Array(B * cOut * Ho * Wo);
  for (let s = 0; s < B; s++)
    for (let co = 0; co < cOut; co++)
      for (let oy = 0; oy < Ho; oy++)
        for (let ox = 0; ox < Wo; ox++) {
          let acc = b[co]!;
          for (let c = 0; c < C; c++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const y = oy * sh + i - ph;
                const x = ox * sw + j - pw;
                if (y < 0 || y >= H || x < 0 || x >= Wd) continue;
                acc += W[((co * C + c) * kh + i) * kw + j]! * input.data[((s * C + c) * H + y) * Wd + x]!;
              }
          out[((s * cOut + co) * Ho + oy) * Wo + ox] = acc;
        }
  return { out, Ho, Wo };
}
