import { expect } from 'chai';
import { DomainError, ShapeError } from '../../../src/core/index.js';
import { createRng, initializeNetwork, mlpOps, scalingReport } from '../../../src/init/index.js';
import { denseFromInit, layerGroups, meanFieldLrGroups, scalingLrGroups, SGD } from '../../../src/nn/index.js';
import { tensor, type Tensor } from '../../../src/tensor/index.js';
import { RATE_TABLE, RATE_TABLE_TOLERANCE, RATE_TABLE_WIDTH } from '../../support/meanfield-table.js';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

/** Dense layers with the given widths (weights irrelevant here: the groups only carry them). */
const layersOf = (widths: number[]) =>
  denseFromInit(initializeNetwork('kaiming_normal', widths.slice(1).map((w, l) => [w, widths[l]!]), createRng(5)));

describe('nn/optim: per-layer learning-rate groups', () => {
  it('layerGroups: group l holds layer l’s W and b (named), with rate l', () => {
    const layers = layersOf([3, 4, 2]);
    const extra = tensor([1], [1], { requiresGrad: true });
    const groups = layerGroups([layers[0]!, [extra]], [0.5, 0.25]);
    expect(groups.map((g) => [g.name, g.lr])).to.deep.equal([['layer0', 0.5], ['layer1', 0.25]]);
    expect(groups[0]!.params).to.deep.equal([{ name: 'layer0.W', tensor: layers[0]!.W }, { name: 'layer0.b', tensor: layers[0]!.b }]);
    expect(groups[1]!.params).to.deep.equal([extra]);
    expect(() => layerGroups(layers, [1])).to.throw(ShapeError, /rates must hold one learning rate per layer \(2\), got \[1\]/);
    expect(() => layerGroups(layers, [1, -1])).to.throw(DomainError, /rates\[1\] must be in \[0, Infinity\), got -1/);
    expect(() => layerGroups([{ W: 3 as never }], [1])).to.throw(DomainError, /layers\[0\]\.W must be a Tensor/);
  });

  it('meanFieldLrGroups reproduces every row of the spec table (N = 100, MLP2 and MLP3); the inferred rule agrees on it', () => {
    for (const [gammas, want] of RATE_TABLE) {
      const widths = [784, ...gammas.map(() => RATE_TABLE_WIDTH), 10];
      const layers = layersOf(widths);
      for (const rule of ['verified', 'inferred'] as const) {
        const groups = meanFieldLrGroups(layers, widths, [...gammas], { rule });
        groups.forEach((g, l) => expect(rel(g.lr, want[l]!), `${rule} γ ${gammas}, layer ${l}: ${g.lr}`).to.be.at.most(RATE_TABLE_TOLERANCE));
        expect(groups.map((g) => g.params.length)).to.deep.equal(widths.slice(1).map(() => 2)); // bias shares its layer's rate
      }
    }
    const widths = [784, 100, 100, 10];
    const scaled = meanFieldLrGroups(layersOf(widths), widths, [1, 1], { baseLr: 0.5 });
    expect(scaled.map((g) => g.lr)).to.deep.equal([0.5, 50, 0.5]);
  });

  it('meanFieldLrGroups: beyond 3 hidden layers only the inferred rule, which the verified one refuses', () => {
    const deep = [10, 8, 8, 8, 8, 3];
    expect(() => meanFieldLrGroups(layersOf(deep), deep, 1)).to.throw(DomainError, /verified formulas exist only for 1–3 hidden layers/);
    // γ = 1, N = 8: α_{W^ℓ} = 1/(N_L a_{ℓ−1} a_ℓ Π b_m) with a_0 = a_5 = 1, a_m = 1/8, b_m = 1 → [1, 8, 8, 8, 1]
    expect(meanFieldLrGroups(layersOf(deep), deep, 1, { rule: 'inferred' }).map((g) => g.lr)).to.deep.equal([1, 8, 8, 8, 1]);
  });

  it('meanFieldLrGroups checks the layers against the widths', () => {
    const layers = layersOf([5, 4, 4, 2]);
    expect(() => meanFieldLrGroups(layers, [5, 4, 3, 2], [1, 1])).to.throw(ShapeError, /layers\[1\]\.W has shape \[4, 4\], widths give \[3, 4\]/);
    expect(() => meanFieldLrGroups(layers.slice(0, 2), [5, 4, 4, 2], [1, 1])).to.throw(ShapeError, /describe 3 weight layers, layers has 2/);
    expect(() => meanFieldLrGroups(layers, [5, 4, 4, 2], [1, 1], { alpha0: 2 } as never)).to.throw(DomainError, /unknown option options\.alpha0/);
  });

  it('scalingLrGroups: base·sqrt(γ_ref/γ_l) with the golden γ of the fan-in MLP 784-512-256-10', () => {
    const widths = [784, 512, 256, 10];
    const layers = layersOf(widths);
    const report = scalingReport(mlpOps(widths), { inputShape: [784], scheme: 'fan_in' });
    // golden γ = [7.65625, 10, 128] (docs/schemes/scaling.md, G1); γ_ref = their geometric mean
    const gammas = [7.65625, 10, 128];
    const ref = Math.cbrt(gammas[0]! * gammas[1]! * gammas[2]!);
    const groups = scalingLrGroups(layers, report, 0.01);
    groups.forEach((g, l) => expect(rel(g.lr, 0.01 * Math.sqrt(ref / gammas[l]!))).to.be.below(1e-13));
    // λ_l² γ_l is the same for every layer: one relative step size for all layers
    const eq = groups.map((g, l) => (g.lr / 0.01) ** 2 * gammas[l]!);
    eq.forEach((v) => expect(rel(v, ref)).to.be.below(1e-13));
    // usable as SGD groups directly
    const opt = new SGD(groups);
    expect(opt.groups.map((g) => g.lr)).to.deep.equal(groups.map((g) => g.lr));
    expect(opt.params().map((p) => p.name)).to.deep.equal(['layer0.W', 'layer0.b', 'layer1.W', 'layer1.b', 'layer2.W', 'layer2.b']);
  });

  it('scalingLrGroups rejects a report of another network', () => {
    const report = scalingReport(mlpOps([784, 512, 256, 10]), { inputShape: [784], scheme: 'fan_in' });
    expect(() => scalingLrGroups(layersOf([784, 512, 10]), report, 0.1)).to.throw(ShapeError, /report describes 3 weight layer\(s\), layers has 2/);
    expect(() => scalingLrGroups(layersOf([784, 512, 255, 10]), report, 0.1)).to.throw(ShapeError, /layers\[1\]\.W has shape \[255, 512\], the report's layer 1 is \[256, 512\]/);
    const w: Tensor[] = [tensor([1], [1], { requiresGrad: true })];
    expect(() => scalingLrGroups([w, w, w], report, 0)).to.throw(DomainError, /baseLr must be in \(0, Infinity\), got 0/);
  });

  it('scalingLrGroups and meanFieldLrGroups reject layers that are not a non-empty array of layers (issue 11)', () => {
    const report = scalingReport(mlpOps([3, 2]), { inputShape: [3] });
    for (const bad of [null, undefined, 'cpu', []]) {
      expect(() => scalingLrGroups(bad as never, report, 0.1)).to.throw(DomainError, /^layers must be a non-empty array of layers, got /);
      expect(() => meanFieldLrGroups(bad as never, [3, 2, 2], 1)).to.throw(DomainError, /^layers must be a non-empty array of layers, got /);
    }
    expect(() => scalingLrGroups([null as never], report, 0.1)).to.throw(DomainError, /^layers\[0\] must be an array of parameters or a layer \{ W, b \}, got null$/);
    expect(() => meanFieldLrGroups([null, 3] as never, [3, 2, 2], 1)).to.throw(DomainError, /^layers\[0\] must be an array of parameters or a layer \{ W, b \}, got null$/);
    const w = [tensor([1], [1], { requiresGrad: true })];
    expect(scalingLrGroups([w], report, 0.1).map((g) => g.name)).to.deep.equal(['layer0']);
  });
});
