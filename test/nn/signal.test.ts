import { expect } from 'chai';
import { createRng, heNormal } from '../../src/init/index.js';
import { type Dense, deadFraction, denseFromInit, mlpForward, signalPropagation } from '../../src/nn/index.js';
import { tensor } from '../../src/tensor/index.js';

/** Independent reference: forward and backward of a ReLU MLP with mean cross-entropy, in plain float64 loops. */
function manual(Ws: Float64Array[], bs: Float64Array[], dims: number[], x: Float64Array, B: number, labels: number[]) {
  const ys: Float64Array[] = [];
  let h = x;
  for (let l = 0; l < Ws.length; l++) {
    const [nIn, nOut] = [dims[l] as number, dims[l + 1] as number];
    const y = new Float64Array(B * nOut);
    for (let i = 0; i < B; i++)
      for (let o = 0; o < nOut; o++) {
        let s = (bs[l] as Float64Array)[o] as number;
        for (let k = 0; k < nIn; k++) s += (h[i * nIn + k] as number) * ((Ws[l] as Float64Array)[o * nIn + k] as number);
        y[i * nOut + o] = s;
      }
    ys.push(y);
    h = l + 1 < Ws.length ? y.map((v) => (v > 0 ? v : 0)) : y;
  }
  const C = dims[dims.length - 1] as number;
  // dℓ/dlogits per sample = softmax − onehot (per-sample, not divided by B)
  let delta = new Float64Array(B * C);
  for (let i = 0; i < B; i++) {
    let mx = -Infinity;
    for (let c = 0; c < C; c++) mx = Math.max(mx, h[i * C + c] as number);
    let z = 0;
    for (let c = 0; c < C; c++) z += Math.exp((h[i * C + c] as number) - mx);
    for (let c = 0; c < C; c++) delta[i * C + c] = Math.exp((h[i * C + c] as number) - mx) / z - (c === labels[i] ? 1 : 0);
  }
  const moments: number[] = new Array(Ws.length);
  for (let l = Ws.length - 1; l >= 0; l--) {
    moments[l] = delta.reduce((a, v) => a + v * v, 0) / delta.length;
    if (l === 0) break;
    const [nIn, nOut] = [dims[l] as number, dims[l + 1] as number];
    const prev = new Float64Array(B * nIn);
    for (let i = 0; i < B; i++)
      for (let k = 0; k < nIn; k++) {
        let s = 0;
        for (let o = 0; o < nOut; o++) s += (delta[i * nOut + o] as number) * ((Ws[l] as Float64Array)[o * nIn + k] as number);
        prev[i * nIn + k] = ((ys[l - 1] as Float64Array)[i * nIn + k] as number) > 0 ? s : 0;
      }
    delta = prev;
  }
  return { ys, moments };
}

describe('nn: signal-propagation diagnostics', () => {
  it('per-sample gradient moments match an independent manual backprop (float64, 1e-12 relative)', () => {
    // Both sides compute the same sums in float64 in possibly different orders: agreement to ~1e-14 is expected;
    // 1e-12 leaves room for accumulation-order differences over ≤ 12-term sums.
    const dims = [5, 7, 6, 3];
    const B = 9;
    const rng = createRng(11);
    const Ws = dims.slice(1).map((o, l) => heNormal([o, dims[l] as number], rng, { dtype: 'float64' }) as Float64Array);
    const bs = dims.slice(1).map((o) => Float64Array.from({ length: o }, () => 0.1 * rng.nextNormal()));
    const x = Float64Array.from({ length: B * 5 }, () => rng.nextNormal());
    const labels = Array.from({ length: B }, () => rng.nextInt(3));
    const net: Dense[] = denseFromInit(
      Ws.map((W, l) => ({ W, b: bs[l], shape: [dims[l + 1] as number, dims[l] as number] })),
      { dtype: 'float64' },
    );
    const rep = signalPropagation(net, tensor(x, [B, 5], { dtype: 'float64' }), labels);
    const ref = manual(Ws, bs, dims, x, B, labels);
    rep.layers.forEach((L, l) => {
      const m = ref.moments[l] as number;
      expect(Math.abs(L.outputGradSecondMoment - m)).to.be.at.most(1e-12 * m, `layer ${l}`);
      const y = ref.ys[l] as Float64Array;
      const q = y.reduce((a, v) => a + v * v, 0) / y.length;
      expect(Math.abs(L.preactSecondMoment - q)).to.be.at.most(1e-12 * q);
    });
    expect(rep.layers[2]?.deadFraction).to.equal(null);
  });

  it('deadFraction counts units that are ≤ 0 on every row', () => {
    const y = tensor([[1, -1, 0, -2], [-1, -1, 0, 3], [-5, -0.5, 0, -1]], undefined, { dtype: 'float64' });
    expect(deadFraction(y)).to.equal(0.5); // columns 1 and 2 never positive
  });

  it('He init keeps E[y_l²] within its sampling band over depth on a wide net (seeded)', () => {
    // Width 256, batch 64, 10 layers, He normal: E[y_l²] = E[y_0²]·Π(1 + O(1/n)) with per-layer log-variance ≈ 5/n,
    // so the log-ratio after 10 layers has sd ≈ sqrt(10·5/256) ≈ 0.44; we require |ln ratio| ≤ 5 sd = 2.2.
    const n = 256;
    const depth = 10;
    const rng = createRng(5);
    const layers = Array.from({ length: depth }, () => ({ W: heNormal([n, n], rng, { dtype: 'float64' }), shape: [n, n] }));
    const net = denseFromInit(layers, { dtype: 'float64', requiresGrad: false });
    const x = tensor(Float64Array.from({ length: 64 * n }, () => rng.nextNormal()), [64, n], { dtype: 'float64' });
    const q: number[] = [];
    mlpForward(net, x, { observe: (_l, _in, y) => q.push(y.mul(y).mean().item()) });
    const r = Math.log((q[depth - 1] as number) / (q[0] as number));
    expect(Math.abs(r)).to.be.at.most(2.2);
    // and LeCun-scaled weights (half the variance) shrink it by about 2^-(depth-1): far outside that band
    const half = denseFromInit(layers.map((L) => ({ ...L, W: L.W.map((w) => w / Math.SQRT2) })), { dtype: 'float64', requiresGrad: false });
    const q2: number[] = [];
    mlpForward(half, x, { observe: (_l, _in, y) => q2.push(y.mul(y).mean().item()) });
    const r2 = Math.log((q2[depth - 1] as number) / (q2[0] as number));
    expect(Math.abs(r2 - (depth - 1) * Math.log(0.5))).to.be.at.most(2.2);
  });
});
