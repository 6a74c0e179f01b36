// Registry entries lps_r and lps_r_plus (network kind, need context.data).
import { expect } from 'chai';
import { DomainError, ShapeError } from '../../../src/core/errors.js';
import { lpsInitMLP } from '../../../src/init/lps/network.js';
import { getInitializer, initializeNetwork, listInitializers } from '../../../src/init/index.js';
import { createRng } from '../../../src/init/support/rng.js';

const shapes = [[6, 4], [5, 6], [2, 5]];
const rng0 = createRng(77);
const x = Float64Array.from({ length: 30 * 4 }, () => rng0.nextNormal());

describe('init/registry: lps_r and lps_r_plus (LPS-R reconstruction)', () => {
  it('are registered as network entries named as a reconstruction', () => {
    const names = listInitializers({ kind: 'network', provenance: 'reconstruction' }).map((e) => e.name);
    expect(names).to.include.members(['lps_r', 'lps_r_plus']);
    expect(getInitializer('lps_r').description).to.contain('LPS-R (reconstruction of the LPS initialization of Chen, Hao & He)');
    expect(getInitializer('lps_r_plus').description).to.contain('reconstruction of the LPS initialization of Chen, Hao & He');
    expect(getInitializer('lps-r+')).to.equal(getInitializer('lps_r_plus'));
  });

  it('equal lpsInitMLP on the same batch and seed (faithful and plus); data may be [B, 2, 2]', () => {
    for (const [name, mode] of [['lps_r', 'faithful'], ['lps_r_plus', 'plus']] as const) {
      const got = initializeNetwork(name, shapes, createRng(5), { dtype: 'float64' }, { data: { x, shape: [30, 2, 2] } });
      const want = lpsInitMLP([4, 6, 5, 2], { rows: 30, cols: 4, data: x }, createRng(5), { mode, dtype: 'float64' }).mlp;
      got.forEach((l, i) => {
        expect(l.shape).to.deep.equal([want[i]!.shape[0], want[i]!.shape[1]]);
        expect(Array.from(l.W)).to.deep.equal(Array.from(want[i]!.W));
        expect(Array.from(l.b!)).to.deep.equal(Array.from(want[i]!.b!));
      });
    }
    const f32 = initializeNetwork('lps_r', shapes, createRng(5), {}, { data: { x, shape: [30, 4] } });
    expect(f32[0]!.W).to.be.instanceOf(Float32Array);
  });

  it('bad input: missing / mismatched / too-small data, conv shapes, conflicting mode', () => {
    expect(() => initializeNetwork('lps_r', shapes, createRng(1))).to.throw(ShapeError, /context\.data .* is required by lps_r/);
    expect(() => initializeNetwork('lps_r', shapes, createRng(1), {}, { data: { x, shape: [40, 3] } })).to.throw(ShapeError, /must flatten to shapes\[0\]\[1\] = 4/);
    expect(() => initializeNetwork('lps_r', shapes, createRng(1), {}, { data: { x: x.subarray(0, 8), shape: [2, 4] } })).to.throw(ShapeError, /batch is too small/);
    expect(() => initializeNetwork('lps_r', shapes, createRng(1), {}, { data: { x: new Float64Array(0), shape: [0, 4] } })).to.throw(ShapeError, /at least one sample/);
    expect(() => initializeNetwork('lps_r', [[8, 3, 3, 3], [2, 8]], createRng(1), {}, { data: { x, shape: [30, 4] } })).to.throw(DomainError, /lpsConv2d/);
    expect(() => initializeNetwork('lps_r_plus', shapes, createRng(1), { mode: 'faithful' }, { data: { x, shape: [30, 4] } })).to.throw(DomainError, /options\.mode/);
    expect(() => initializeNetwork('lps_r', [[6, 4]], createRng(1), {}, { data: { x, shape: [30, 4] } })).to.throw(ShapeError, /at least one hidden layer/);
  });
});
