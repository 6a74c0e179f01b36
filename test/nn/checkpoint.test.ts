import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError, Linear, loadState, loadStateDict, mlp, saveState, stateDict, type CheckpointProblem } from '../../src/nn/index.js';
import { tensor, type DType, type Tensor } from '../../src/tensor/index.js';

const snapshot = (m: { parameters(): Tensor[] }): number[][] => m.parameters().map((p) => Array.from(p.dense()));
/** A header + data file from a JSON header object and data bytes. */
function craft(header: unknown, data: Uint8Array, rawHeader?: string): Uint8Array {
  const json = Buffer.from(rawHeader ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('nn: checkpoints (safetensors layout)', () => {
  let dir = '';
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'initlab-ckpt-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const dtype of ['float32', 'float64'] as DType[]) {
    it(`round trip is bit-exact (${dtype}), metadata kept, no temporary file left`, () => {
      const a = mlp({ widths: [3, 4, 2], seed: 1, dtype });
      const b = mlp({ widths: [3, 4, 2], seed: 2, dtype });
      const file = join(dir, 'm.safetensors');
      saveState(a, file, { metadata: { step: '10' } });
      expect(readdirSync(dir)).to.deep.equal(['m.safetensors']);
      expect(snapshot(b)).to.not.deep.equal(snapshot(a));
      expect(loadState(b, file)).to.deep.equal({ step: '10' });
      expect(snapshot(b)).to.deep.equal(snapshot(a));
      expect(b.parameters()[0]!.dtype).to.equal(dtype);
    });
  }

  it('writes the safetensors layout: LE length, JSON header (8-byte aligned), LE data', () => {
    const lin = new Linear(2, 1, { seed: 3, dtype: 'float64' });
    const file = join(dir, 'l.safetensors');
    saveState(lin, file);
    const bytes = readFileSync(file);
    const n = Number(bytes.readBigUInt64LE(0));
    expect((8 + n) % 8).to.equal(0);
    const header = JSON.parse(bytes.subarray(8, 8 + n).toString()) as Record<string, { dtype: string; shape: number[]; data_offsets: number[] }>;
    expect(header['weight']).to.deep.equal({ dtype: 'F64', shape: [1, 2], data_offsets: [0, 16] });
    expect(header['bias']).to.deep.equal({ dtype: 'F64', shape: [1], data_offsets: [16, 24] });
    expect(bytes.readDoubleLE(8 + n)).to.equal(lin.weight.dense()[0]);
  });

  it('saving over an existing file replaces it whole', () => {
    const file = join(dir, 'm.safetensors');
    saveState(new Linear(2, 2, { seed: 1 }), file);
    const m = new Linear(2, 2, { seed: 2 });
    saveState(m, file);
    const n = new Linear(2, 2, { seed: 3 });
    loadState(n, file);
    expect(snapshot(n)).to.deep.equal(snapshot(m));
  });

  const good = (): { model: Linear; header: Record<string, unknown>; data: Uint8Array } => {
    const model = new Linear(2, 1, { seed: 5 });
    const data = new Uint8Array(12);
    return { model, data, header: { weight: { dtype: 'F32', shape: [1, 2], data_offsets: [0, 8] }, bias: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } } };
  };
  const cases: { name: string; bytes: () => Uint8Array; problem: CheckpointProblem; tensor: string | null }[] = [
    { name: 'a file shorter than the length prefix', bytes: () => new Uint8Array(5), problem: 'truncated', tensor: null },
    { name: 'a header length beyond the file', bytes: () => { const b = craft(good().header, good().data); return b.subarray(0, 20); }, problem: 'truncated', tensor: null },
    { name: 'data cut short (truncated tensor)', bytes: () => { const b = craft(good().header, good().data); return b.subarray(0, b.length - 2); }, problem: 'offsets', tensor: 'bias' },
    { name: 'a header that is not JSON', bytes: () => craft(null, good().data, '{"weight": {'), problem: 'header', tensor: null },
    { name: 'a header that is not an object', bytes: () => craft([1, 2], new Uint8Array(0)), problem: 'header', tensor: null },
    { name: 'offsets that overrun the data', bytes: () => { const g = good(); return craft({ ...g.header, bias: { dtype: 'F32', shape: [1], data_offsets: [12, 16] } }, g.data); }, problem: 'offsets', tensor: 'bias' },
    { name: 'overlapping offsets', bytes: () => { const g = good(); return craft({ ...g.header, bias: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, g.data); }, problem: 'offsets', tensor: 'bias' },
    { name: 'offsets that disagree with the shape', bytes: () => { const g = good(); return craft({ ...g.header, bias: { dtype: 'F32', shape: [2], data_offsets: [8, 12] } }, g.data); }, problem: 'offsets', tensor: 'bias' },
    { name: 'an unknown dtype', bytes: () => { const g = good(); return craft({ ...g.header, bias: { dtype: 'F16', shape: [1], data_offsets: [8, 10] } }, g.data); }, problem: 'header', tensor: 'bias' },
    { name: 'a missing tensor', bytes: () => { const g = good(); return craft({ weight: g.header['weight'] }, g.data.subarray(0, 8)); }, problem: 'missing', tensor: 'bias' },
    { name: 'an unexpected tensor', bytes: () => { const g = good(); return craft({ ...g.header, extra: { dtype: 'F32', shape: [1], data_offsets: [12, 16] } }, new Uint8Array(16)); }, problem: 'unexpected', tensor: 'extra' },
    { name: 'a shape mismatch', bytes: () => craft({ weight: { dtype: 'F32', shape: [2, 1], data_offsets: [0, 8] }, bias: good().header['bias'] }, good().data), problem: 'shape', tensor: 'weight' },
    { name: 'a dtype mismatch', bytes: () => craft({ weight: { dtype: 'F64', shape: [1, 2], data_offsets: [0, 16] }, bias: { dtype: 'F32', shape: [1], data_offsets: [16, 20] } }, new Uint8Array(20)), problem: 'dtype', tensor: 'weight' },
  ];
  for (const c of cases) {
    it(`${c.name}: CheckpointError (${c.problem}) naming the file${c.tensor === null ? '' : ` and ${c.tensor}`}; the model is untouched`, () => {
      const { model } = good();
      const before = snapshot(model);
      const file = join(dir, 'bad.safetensors');
      writeFileSync(file, c.bytes());
      let err: unknown = null;
      try { loadState(model, file); } catch (e) { err = e; }
      expect(err).to.be.instanceOf(CheckpointError);
      const ce = err as CheckpointError;
      expect(ce.problem).to.equal(c.problem);
      expect(ce.file).to.equal(file);
      expect(ce.message).to.contain(file);
      expect(ce.tensor).to.equal(c.tensor);
      expect(snapshot(model)).to.deep.equal(before);
    });
  }

  it('the data of valid tensors before the failing one is not copied either (validate all, then copy)', () => {
    const model = new Linear(2, 1, { seed: 5 });
    const before = snapshot(model);
    const file = join(dir, 'half.safetensors');
    // weight is fine (ones), bias has the wrong shape
    const data = new Uint8Array(new Float32Array([1, 1, 0, 0]).buffer);
    writeFileSync(file, craft({ weight: { dtype: 'F32', shape: [1, 2], data_offsets: [0, 8] }, bias: { dtype: 'F32', shape: [2], data_offsets: [8, 16] } }, data));
    expect(() => loadState(model, file)).to.throw(CheckpointError, /bias/);
    expect(snapshot(model)).to.deep.equal(before);
  });

  it('stateDict copies; loadStateDict checks names, shapes, dtypes before copying', () => {
    const a = mlp({ widths: [2, 3, 1], seed: 1 });
    const s = stateDict(a);
    expect([...s.keys()]).to.deep.equal(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(s.get('0.weight')).to.not.equal(a.parameters()[0]);
    const b = mlp({ widths: [2, 3, 1], seed: 2 });
    const before = snapshot(b);
    const wrong = new Map(s);
    wrong.set('2.bias', tensor([1], [1], { dtype: 'float64' }));
    expect(() => loadStateDict(b, wrong)).to.throw(CheckpointError, /"2\.bias".*dtype/);
    expect(snapshot(b)).to.deep.equal(before);
    loadStateDict(b, Object.fromEntries(s));
    expect(snapshot(b)).to.deep.equal(snapshot(a));
  });

  it('bad paths and models are CheckpointErrors; a missing file too', () => {
    const m = new Linear(1, 1, { seed: 1 });
    expect(() => saveState(m, join(dir, 'm.bin'))).to.throw(CheckpointError, /\.safetensors/);
    expect(() => saveState(m, join(dir, 'no', 'm.safetensors'))).to.throw(CheckpointError, /cannot write/);
    expect(readdirSync(dir)).to.deep.equal([]);
    expect(() => loadState(m, join(dir, 'none.safetensors'))).to.throw(CheckpointError, /cannot read/);
    expect(() => saveState({} as never, join(dir, 'm.safetensors'))).to.throw(CheckpointError, /namedParameters/);
  });
});
