/**
 * `initlab train` on a small CSV written from `gaussianBlobs` (40 samples, 4 features, 3 classes, batch 8: 5 steps per
 * epoch): a run interrupted at step 3 and resumed to step 7 (across an epoch boundary) has the loss history and
 * final weights of a run never interrupted, bit for bit; a checkpoint of other settings is refused with a typed error.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainResult } from '../../src/cli/train/command.js';
import { gaussianBlobs, mlp, readCheckpoint, saveState } from '../../src/nn/index.js';
import { decodeSafetensors } from '../../src/nn/checkpoint.js';
import { getBackend, setBackend } from '../../src/kernels/index.js';
import { cli } from './capture.js';

const dir = mkdtempSync(join(tmpdir(), 'initlab-train-'));
const csv = join(dir, 'blobs.csv');
{
  const d = gaussianBlobs(40, { seed: 3, centers: 3, dim: 4 });
  const rows = ['f0,label,f1,f2,f3'];
  for (let i = 0; i < 40; i++) {
    const x = Array.from(d.x.subarray(4 * i, 4 * i + 4));
    rows.push([x[0], d.y.values[i], x[1], x[2], x[3]].join(','));
  }
  writeFileSync(csv, `${rows.join('\n')}\n`);
}

/** `initlab train --json` on the CSV with flags `o` over the defaults of these tests. */
const argvOf = (o: Record<string, string>): string[] =>
  ['train', ...Object.entries({ data: csv, arch: '4-8-8-3', batch: '8', backend: 'cpu', ...o }).flatMap(([k, v]) => [`--${k}`, v]), '--json'];

async function train(out: string, ...argv: string[]): Promise<TrainResult> {
  const r = await cli([...argvOf({ out: join(dir, out) }), ...argv]);
  expect(r.err).to.equal('');
  expect(r.code).to.equal(0);
  return JSON.parse(r.out) as TrainResult;
}

/** The model's parameters and the optimizer's buffers of a checkpoint, by name (metadata aside). */
function tensors(file: string): Map<string, number[]> {
  const { entries } = decodeSafetensors(readFileSync(file), file);
  return new Map(entries.map(([n, t]) => [n, Array.from(t.dense())]));
}

describe('cli: initlab train and --resume', function () {
  let previous: string;
  before(() => {
    previous = getBackend().name;
  });
  after(() => {
    setBackend(previous);
  });

  for (const opt of [['--optimizer', 'sgd', '--momentum', '0.9', '--weight-decay', '0.01'], ['--optimizer', 'adamw', '--lr', '0.005'], ['--optimizer', 'adam', '--scheme', 'meanfield:gammas=1,0.5', '--lr', '0.5']]) {
    it(`a run resumed at step 3 equals the uninterrupted run bit for bit (${opt.join(' ')})`, async () => {
      const tag = opt[1] as string;
      const full = await train(`${tag}-full`, ...opt, '--steps', '7');
      expect(full.losses).to.have.length(7);
      expect(full.losses.every(Number.isFinite)).to.equal(true);
      expect(full.epochLoss).to.have.length(2);
      const part = await train(`${tag}-part`, ...opt, '--steps', '3');
      expect(part.losses).to.deep.equal(full.losses.slice(0, 3));
      expect(part.position).to.deep.equal({ step: 3, epoch: 0, batch: 3 });
      const resumed = await train(`${tag}-resumed`, ...opt, '--steps', '7', '--resume', part.checkpoint);
      expect(resumed.resumedFrom).to.deep.equal({ file: part.checkpoint, step: 3 });
      expect(resumed.losses).to.deep.equal(full.losses);
      expect(resumed.position).to.deep.equal({ step: 7, epoch: 1, batch: 2 });
      const a = tensors(full.checkpoint);
      const b = tensors(resumed.checkpoint);
      expect([...b.keys()]).to.deep.equal([...a.keys()]);
      expect([...a.keys()].filter((k) => k.startsWith('optimizer/'))).to.have.length(opt[1] === 'sgd' ? 6 : 12); // 6 tensors, 1 or 2 buffers each
      for (const [k, v] of a) expect(b.get(k), k).to.deep.equal(v);
      // The file of train.json is the printed result.
      expect(JSON.parse(readFileSync(join(dir, `${tag}-resumed`, 'train.json'), 'utf8'))).to.deep.equal(resumed);
    });
  }

  it('the checkpoint holds the run\'s config, position and loss history', async () => {
    const r = await train('meta', '--steps', '2', '--scheme', 'fractional:s=1.5');
    const { metadata, tensors: extra } = readCheckpoint(r.checkpoint);
    const cfg = JSON.parse(metadata['initlab.train.config'] as string) as { scheme: string; widths: number[] };
    expect(cfg.scheme).to.equal('fractional:s=1.5');
    expect(cfg.widths).to.deep.equal([4, 8, 8, 3]);
    expect(JSON.parse(metadata['initlab.train.position'] as string)).to.deep.equal({ step: 2, epoch: 0, batch: 2 });
    expect(Array.from(extra.get('history/loss')?.dense() ?? [])).to.deep.equal(r.losses);
  });

  it('refuses a checkpoint written with other settings (CheckpointError naming the flag), and one already done', async () => {
    const part = await train('cfg', '--steps', '3');
    const cases: [string[], RegExp][] = [
      [['--lr', '0.02'], /was written by a run with --lr 0\.01, this run has 0\.02; resume with the same settings$/],
      [['--arch', '4-16-3'], /was written by a run with --arch \[4,8,8,3\], this run has \[4,16,3\]/],
      [['--scheme', 'kaiming_uniform'], /--scheme "kaiming_normal", this run has "kaiming_uniform"/],
      [['--seed', '5'], /--seed 0, this run has 5/],
    ];
    for (const [change, msg] of cases) {
      const flags: Record<string, string> = { out: join(dir, 'cfg2'), steps: '6', resume: part.checkpoint };
      flags[(change[0] as string).slice(2)] = change[1] as string;
      const { code, err } = await cli(argvOf(flags));
      expect(code, change.join(' ')).to.equal(2);
      expect(err.startsWith(`initlab: CheckpointError: ${part.checkpoint}: `), err).to.equal(true);
      expect(err.trimEnd()).to.match(msg);
    }
    const plain = join(dir, 'plain.safetensors');
    saveState(mlp({ widths: [4, 8, 8, 3], seed: 0 }), plain);
    const notTrain = await cli(argvOf({ out: join(dir, 'cfg4'), steps: '6', resume: plain }));
    expect(notTrain.err).to.equal(`initlab: CheckpointError: ${plain}: is not a checkpoint of initlab train (no run configuration in its metadata)\n`);
    const missing = await cli(argvOf({ out: join(dir, 'cfg4'), steps: '6', resume: join(dir, 'none.safetensors') }));
    expect(missing.code).to.equal(2);
    expect(missing.err).to.match(/^initlab: CheckpointError: .*none\.safetensors: cannot read the checkpoint: ENOENT/);
    const done = await cli(argvOf({ out: join(dir, 'cfg3'), steps: '3', resume: part.checkpoint }));
    expect(done.code).to.equal(2);
    expect(done.err).to.equal(`initlab: UsageError: --resume ${part.checkpoint} is already at step 3; ask for more with --steps (now 3 in all)\n`);
  });

  it('takes an IDX image + label pair as --data (bytes scaled to [0, 1])', async () => {
    const idx = (dims: number[], values: number[]): Uint8Array => {
      const b = new Uint8Array(4 + 4 * dims.length + values.length);
      const v = new DataView(b.buffer);
      v.setUint32(0, 0x800 + dims.length);
      dims.forEach((d, k) => v.setUint32(4 + 4 * k, d));
      b.set(values, 4 + 4 * dims.length);
      return b;
    };
    const images = join(dir, 'im.idx');
    const labels = join(dir, 'lb.idx');
    writeFileSync(images, idx([12, 2, 2], Array.from({ length: 48 }, (_, i) => (i * 53) % 256)));
    writeFileSync(labels, idx([12], Array.from({ length: 12 }, (_, i) => i % 3)));
    const ok = await cli(argvOf({ data: `${images},${labels}`, arch: '4-6-3', steps: '2', out: join(dir, 'idx') }));
    expect(ok.err).to.equal('');
    const r = JSON.parse(ok.out) as TrainResult;
    expect(r.config.data).to.include({ samples: 12, features: 4, classes: 3 });
    expect(r.losses).to.have.length(2);
    writeFileSync(labels, idx([11], Array.from({ length: 11 }, () => 0)));
    const bad = await cli(argvOf({ data: `${images},${labels}`, arch: '4-6-3', out: join(dir, 'idx2') }));
    expect(bad.code).to.equal(2);
    expect(bad.err).to.equal(`initlab: DataFileError: ${labels}: holds 11 labels, ${images} holds 12 images\n`);
  });

  it('bad data files exit 2 naming the file, line and column', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'f0,label\n1,0\n2,x\n');
    const r = await cli(argvOf({ data: bad, arch: '1-3', out: join(dir, 'bad') }));
    expect(r.code).to.equal(2);
    expect(r.err).to.equal(`initlab: CsvError: ${bad}: line 3, column "label": label "x" must be an integer class in [0, 2147483646]\n`);
    const arch = await cli(argvOf({ arch: '5-3', out: join(dir, 'bad') }));
    expect(arch.err).to.equal('initlab: UsageError: --arch 5-3 takes 5 inputs, the data has 4 features per sample\n');
    const fmt = await cli(argvOf({ data: 'data.txt', out: join(dir, 'bad') }));
    expect(fmt.err).to.equal('initlab: UsageError: --data must be an IDX pair images.idx,labels.idx or a .csv file (with --label-column), got "data.txt"\n');
    const opt = await cli(argvOf({ scheme: 'fractional:s=-3', out: join(dir, 'bad') }));
    expect(opt.code).to.equal(2);
    expect(opt.err).to.match(/^initlab: DomainError: options\.s must be in \(0, 2\], got -3\n$/);
  });
});
