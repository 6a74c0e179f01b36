/**
 * Training checkpoints: parameters, optimizer state, extra tensors and metadata in one safetensors file; loading
 * restores model and optimizer so training continues bit-exactly, and checks everything before changing either.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Adam, CheckpointError, classificationDataset, DataLoader, fit, loadCheckpoint, loadState, mlp, readCheckpoint, saveCheckpoint, saveState, SGD,
} from '../../src/nn/index.js';
import { Tensor } from '../../src/tensor/index.js';

const snapshot = (m: { parameters(): Tensor[] }): number[][] => m.parameters().map((p) => Array.from(p.dense()));
const data = new DataLoader(
  classificationDataset(Float32Array.from({ length: 24 }, (_, i) => Math.sin(i)), [8, 3], Int32Array.from([0, 1, 0, 1, 1, 0, 0, 1]), 2),
  { batchSize: 4, seed: 9 },
);
const steps = (model: ReturnType<typeof mlp>, opt: SGD | Adam, n: number): number[] =>
  fit(model, { data, loss: 'cross_entropy', optimizer: opt, steps: n, progress: false }).steps.map((s) => s.loss);

describe('nn: training checkpoints', () => {
  let dir = '';
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'initlab-tckpt-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('model + Adam state + extras round trip; the restored pair continues exactly as the original', () => {
    const a = mlp({ widths: [3, 5, 2], seed: 1 });
    const optA = new Adam(a.parameters(), { lr: 0.01 });
    steps(a, optA, 2); // epoch 0 (2 batches)
    const file = join(dir, 'c.safetensors');
    saveCheckpoint(a, file, { optimizer: optA, tensors: { 'history/loss': new Tensor(Float64Array.from([1, 2]), [2]) }, metadata: { note: 'x' } });
    const b = mlp({ widths: [3, 5, 2], seed: 2 });
    const optB = new Adam(b.parameters(), { lr: 0.01 });
    const loaded = loadCheckpoint(b, file, optB);
    expect(loaded.metadata).to.deep.equal({ note: 'x' });
    expect([...loaded.tensors.keys()]).to.deep.equal(['history/loss']);
    expect(Array.from(loaded.tensors.get('history/loss')!.dense())).to.deep.equal([1, 2]);
    expect(snapshot(b)).to.deep.equal(snapshot(a));
    // Both continue over the same batches (epoch 0 again): identical losses and weights.
    expect(steps(b, optB, 3)).to.deep.equal(steps(a, optA, 3));
    expect(snapshot(b)).to.deep.equal(snapshot(a));
    expect(readCheckpoint(file).metadata).to.deep.equal({ note: 'x' });
  });

  it('loadState of a training checkpoint restores just the parameters', () => {
    const a = mlp({ widths: [3, 4, 2], seed: 1 });
    const opt = new SGD(a.parameters(), { lr: 0.1, momentum: 0.9 });
    steps(a, opt, 1);
    const file = join(dir, 't.safetensors');
    saveCheckpoint(a, file, { optimizer: opt });
    const b = mlp({ widths: [3, 4, 2], seed: 5 });
    loadState(b, file);
    expect(snapshot(b)).to.deep.equal(snapshot(a));
  });

  it('refuses what does not fit before changing model or optimizer', () => {
    const a = mlp({ widths: [3, 4, 2], seed: 1 });
    const file = join(dir, 'p.safetensors');
    saveState(a, file);
    const b = mlp({ widths: [3, 4, 2], seed: 2 });
    const before = snapshot(b);
    const opt = new SGD(b.parameters(), { lr: 0.1, momentum: 0.9 });
    expect(() => loadCheckpoint(b, file, opt)).to.throw(CheckpointError, 'holds no optimizer state').with.property('problem', 'missing');
    expect(snapshot(b)).to.deep.equal(before);
    const withSgd = join(dir, 's.safetensors');
    const optA = new SGD(a.parameters(), { lr: 0.1, momentum: 0.5 });
    steps(a, optA, 1);
    saveCheckpoint(a, withSgd, { optimizer: optA });
    expect(() => loadCheckpoint(b, withSgd, opt)).to.throw(CheckpointError, 'the optimizer state does not fit this optimizer: state.groups[0].hyper.momentum is 0.5, this optimizer has 0.9')
      .with.property('problem', 'optimizer');
    expect(snapshot(b)).to.deep.equal(before);
    const c = mlp({ widths: [3, 6, 2], seed: 2 });
    expect(() => loadCheckpoint(c, withSgd, new SGD(c.parameters(), { lr: 0.1, momentum: 0.5 }))).to.throw(CheckpointError, /has shape \[4, 3\], the model's parameter has \[6, 3\]/);
    expect(() => saveCheckpoint(a, join(dir, 'x.safetensors'), { tensors: { history: new Tensor(Float64Array.from([1]), [1]) } }))
      .to.throw(CheckpointError, 'an extra tensor\'s name must hold a \'/\'');
    expect(() => saveCheckpoint(a, join(dir, 'x.safetensors'), { metadata: { 'initlab.optimizer': '{}' } })).to.throw(CheckpointError, 'reserved key');
  });
});
