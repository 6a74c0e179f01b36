/**
 * Argument hints of the convolution and pooling exports (the ops `conv2d`, `maxPool2d`, `avgPool2d` of 'initlab' and
 * the modules `Conv2d`, `MaxPool2d`, `AvgPool2d` of 'initlab/nn'); see hints.ts for what a hint is. Valid means: a
 * 4-D image of dimensions in [1, 5] and values in [-3, 3], a kernel that fits the padded image, stride in [1, 3],
 * padding in [0, 2] (at most half the kernel for pooling), one dtype throughout.
 */
import fc from 'fast-check';
import { bool, dtype, seed, tensorOf } from './kinds.js';
import type { Hint } from './hints.js';

const t = (...arbs: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown[]> => fc.tuple(...arbs).map((a) => [...a]);
const small = fc.integer({ min: 1, max: 3 });
const stride = fc.integer({ min: 1, max: 3 });
/** A number or an [h, w] pair, as the caller may write either. */
const pairOf = ([h, w]: readonly [number, number], asNumber: boolean): number | [number, number] => (asNumber && h === w ? h : [h, w]);

/** Kernel [kh, kw] and padding of a window over an image of at least `min` pixels, padding ≤ maxPad(kernel). */
const windowArb = (maxPad: (k: number) => number): fc.Arbitrary<{ k: [number, number]; p: [number, number]; s: [number, number]; asNumber: boolean }> =>
  fc.tuple(small, small, stride, stride, bool).chain(([kh, kw, sh, sw, asNumber]) =>
    fc.tuple(fc.integer({ min: 0, max: maxPad(kh) }), fc.integer({ min: 0, max: maxPad(kw) }))
      .map(([ph, pw]) => ({ k: [kh, kw] as [number, number], p: [ph, pw] as [number, number], s: [sh, sw] as [number, number], asNumber })));

/** An image [B, C, H, W] in which a window of kernel k with padding p fits. */
const imageFor = (k: readonly [number, number], p: readonly [number, number], c: number, d: string): fc.Arbitrary<unknown> =>
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: Math.max(1, k[0] - 2 * p[0]), max: 5 }), fc.integer({ min: Math.max(1, k[1] - 2 * p[1]), max: 5 }))
    .chain(([b, h, w]) => tensorOf([b, c, h, w], -3, 3, false, d as 'float32'));

const convArgs = fc.tuple(windowArb(() => 2), small, small, dtype, bool).chain(([win, c, o, d, withBias]) =>
  t(imageFor(win.k, win.p, c, d), tensorOf([o, c, win.k[0], win.k[1]], -3, 3, false, d), withBias ? tensorOf([o], -3, 3, false, d) : fc.constant(null),
    fc.constant({ stride: pairOf(win.s, win.asNumber), padding: pairOf(win.p, win.asNumber) })));

const poolWindow = windowArb((k) => k >> 1);
const poolArgs = (avg: boolean): fc.Arbitrary<unknown[]> => fc.tuple(poolWindow, small, dtype, bool, bool).chain(([win, c, d, defaultStride, include]) =>
  t(imageFor(win.k, win.p, c, d), fc.constant({
    kernel: pairOf(win.k, win.asNumber), padding: pairOf(win.p, win.asNumber),
    ...(defaultStride ? {} : { stride: pairOf(win.s, win.asNumber) }), ...(avg ? { countIncludePad: include } : {}),
  })));

const initNames = fc.constantFrom('kaiming_uniform', 'he_normal', 'glorot_uniform', 'torch_default_linear', 'zeros');
const moduleWindow = (maxPad: (k: number) => number): fc.Arbitrary<unknown[]> => windowArb(maxPad).map((w) => [pairOf(w.k, w.asNumber), w]);

export const CONV_HINTS: Readonly<Record<string, Hint>> = {
  conv2d: { args: convArgs },
  maxPool2d: { args: poolArgs(false) },
  avgPool2d: { args: poolArgs(true) },
  Conv2d: {
    args: fc.tuple(small, small, moduleWindow(() => 2), fc.record({ seed, dtype, bias: bool, init: initNames }, { requiredKeys: ['seed'] }))
      .map(([c, o, [k, w], opts]) => {
        const win = w as { s: [number, number]; p: [number, number] };
        return [c, o, k, { ...opts, stride: win.s, padding: win.p }];
      }),
    construct: true,
  },
  MaxPool2d: { args: moduleWindow((k) => k >> 1).map(([k, w]) => [k, { stride: (w as { s: unknown }).s, padding: (w as { p: unknown }).p }]), construct: true },
  AvgPool2d: {
    args: fc.tuple(moduleWindow((k) => k >> 1), bool).map(([[k, w], include]) => [k, { padding: (w as { p: unknown }).p, countIncludePad: include }]),
    construct: true,
  },
};
