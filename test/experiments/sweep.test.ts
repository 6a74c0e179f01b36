/**
 * The sweep engine on synthetic data (gaussianBlobs, 6 features, 3 classes): a job is deterministic; the pool with 2
 * workers gives the 1-worker records; a log cut mid-line resumes without re-running finished jobs and without
 * duplicate rows; a job that throws is recorded and the sweep goes on; the log reader cuts a partial tail. Tiny nets
 * and 12 steps per job, so the pools' start-up (each worker thread loads the engine under tsx) dominates the time.
 */
import { expect } from 'chai';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schemeSpec } from '../../src/experiments/compare/index.js';
import {
  checkSweepConfig, jobKey, readSweepLog, runJob, runSweep, sweepCells, sweepJobs, widthFindings,
  type SweepConfig, type SweepRecord, type SweepResult,
} from '../../src/experiments/sweep/index.js';
import { getBackend } from '../../src/kernels/index.js';
import { gaussianBlobs } from '../../src/nn/index.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'initlab-sweep-'));
const blobs = { centers: 3, dim: 6, std: 2 };
const data = { train: gaussianBlobs(240, { seed: 11, ...blobs }), test: gaussianBlobs(60, { seed: 12, ...blobs }) };

/** 2 widths × 2 depths × 2 schemes × 2 seeds = 16 jobs. */
const CONFIG: SweepConfig = {
  data: 'gaussianBlobs(240, seed 11)', dataChecksum: 'test', widths: [8, 16], depths: [1, 2],
  schemes: [schemeSpec('kaiming_normal'), schemeSpec('xavier_normal')], seeds: [1, 2],
  steps: 12, batchSize: 16, optimizer: 'sgd', lr: 0.05, momentum: 0.9, logEvery: 4, coordSteps: 3,
  signalBatchSize: 32, anchorBatchSize: 32, trainSize: 240, testSize: 60, sMoment: 2, confidence: 0.95, dtype: 'float32',
  backend: getBackend().name,
};
const N = 16;

/** A record without its timings (the only fields that differ between two runs of the same job). */
function numbers(r: SweepRecord): unknown {
  const { millis: _m, ...rest } = r;
  return 'result' in rest ? { ...rest, result: { ...rest.result, train: { ...rest.result.train, millis: 0 } } } : rest;
}

const logLines = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');

describe('experiments/sweep: the grid and one job', () => {
  it('expands widths × depths × schemes × seeds into distinct keys, and checks the config', () => {
    const jobs = sweepJobs(CONFIG);
    expect(jobs).to.have.length(N);
    expect(new Set(jobs.map(jobKey)).size).to.equal(N);
    expect(jobs[0]).to.include({ width: 8, depth: 1, seed: 1 });
    // The key is canonical: the same job with its fields in another order has the same key.
    const reordered = Object.fromEntries(Object.entries(jobs[3]!).reverse()) as typeof jobs[number];
    expect(jobKey(reordered)).to.equal(jobKey(jobs[3]!));
    expect(() => checkSweepConfig({ ...CONFIG, widths: [8, 8] })).to.throw(/config.widths must not repeat/);
    expect(() => checkSweepConfig({ ...CONFIG, coordSteps: 13 })).to.throw(/config.coordSteps must be at most config.steps = 12, got 13/);
    expect(() => checkSweepConfig({ ...CONFIG, trainSize: 60 })).to.throw(/config.trainSize must be at least/);
  });

  it('a job is deterministic and records the coordinate check after steps 0..k for every layer', () => {
    const job = sweepJobs(CONFIG)[6]!; // depth 2
    const a = runJob(job, data);
    const b = runJob(job, data);
    expect({ ...a, train: { ...a.train, millis: 0 } }).to.deep.equal({ ...b, train: { ...b.train, millis: 0 } });
    expect(a.coord.steps).to.deep.equal([0, 1, 2, 3]);
    expect(a.coord.layers).to.deep.equal(['hidden 1', 'hidden 2', 'output']);
    for (const row of a.coord.meanAbs) {
      expect(row).to.have.length(3);
      for (const v of row) expect(v).to.be.greaterThan(0).and.lessThan(Infinity);
    }
    // Training moved the weights: the activations after 3 steps differ from those at init.
    expect(a.coord.meanAbs[3]).to.not.deep.equal(a.coord.meanAbs[0]);
    // Windows of logEvery = 4 steps, each recorded at its last (0-based) step, as in compare.
    expect(a.train.steps).to.deep.equal([3, 7, 11]);
  });
});

describe('experiments/sweep: runSweep on a worker pool', function () {
  this.timeout(60_000);
  let one: SweepResult;
  let two: SweepResult;
  let twoLog: string;
  before(async () => {
    one = await runSweep(CONFIG, data, { log: join(tmp(), 'sweep.jsonl'), workers: 1 });
    twoLog = join(tmp(), 'sweep.jsonl');
    two = await runSweep(CONFIG, data, { log: twoLog, workers: 2 });
  });

  it('2 workers give the 1-worker records, in grid order, one log line per job', () => {
    expect(one.ran).to.equal(N);
    expect(two.ran).to.equal(N);
    expect(two.meta.workers).to.equal(2);
    expect(two.records.map(numbers)).to.deep.equal(one.records.map(numbers));
    expect(two.records.map((r) => r.key)).to.deep.equal(sweepJobs(CONFIG).map(jobKey));
    expect(two.records.every((r) => 'result' in r)).to.equal(true);
    const lines = logLines(twoLog);
    expect(lines).to.have.length(N);
    expect(new Set(lines.map((l) => (JSON.parse(l) as SweepRecord).key)).size).to.equal(N);
  });

  it('resumes from a log cut mid-line: only the missing jobs run, no duplicate rows, the same records', async () => {
    const dir = tmp();
    const log = join(dir, 'sweep.jsonl');
    const lines = logLines(twoLog);
    // A kill during a write: 5 whole lines and half of the sixth.
    writeFileSync(log, `${lines.slice(0, 5).join('\n')}\n${lines[5]!.slice(0, 100)}`);
    const warnings: string[] = [];
    const r = await runSweep(CONFIG, data, { log, workers: 2, onWarning: (m) => warnings.push(m) });
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/partial last line/);
    expect(r.skipped).to.equal(5);
    expect(r.ran).to.equal(N - 5);
    const after = logLines(log);
    expect(after).to.have.length(N);
    expect(new Set(after.map((l) => (JSON.parse(l) as SweepRecord).key)).size).to.equal(N);
    expect(r.records.map(numbers)).to.deep.equal(one.records.map(numbers));
    // A third run finds everything and runs nothing.
    const again = await runSweep(CONFIG, data, { log, workers: 2 });
    expect([again.ran, again.skipped]).to.deep.equal([0, N]);
    expect(logLines(log)).to.have.length(N);
  });

  it('a grid cut short, then extended: only the new jobs run', async () => {
    const log = join(tmp(), 'sweep.jsonl');
    const first = await runSweep({ ...CONFIG, seeds: [1] }, data, { log, workers: 2 });
    expect(first.ran).to.equal(N / 2);
    const full = await runSweep(CONFIG, data, { log, workers: 2 });
    expect([full.ran, full.skipped]).to.deep.equal([N / 2, N / 2]);
    expect(logLines(log)).to.have.length(N);
    expect(full.records.map(numbers)).to.deep.equal(one.records.map(numbers));
  });

  it('a job that throws is recorded with its error and the others complete', async () => {
    const log = join(tmp(), 'sweep.jsonl');
    const cfg: SweepConfig = { ...CONFIG, depths: [1], schemes: [schemeSpec('kaiming_normal'), schemeSpec('fractional', { s: -1 })] };
    const r = await runSweep(cfg, data, { log, workers: 2 });
    expect(r.ran).to.equal(8);
    const failed = r.records.filter((x) => 'error' in x);
    expect(failed.map((x) => x.job.scheme.id)).to.deep.equal(Array(4).fill('fractional:s=-1'));
    for (const x of failed) expect('error' in x && x.error).to.match(/options\.s/);
    expect(r.records.filter((x) => 'result' in x)).to.have.length(4);
    // Errors are results too: a rerun does not repeat them.
    expect((await runSweep(cfg, data, { log, workers: 1 })).ran).to.equal(0);
    // The statistics count the failures and keep the completed seeds.
    const cells = sweepCells(r);
    expect(cells.find((c) => c.scheme === 'fractional:s=-1')).to.include({ failed: 2 });
    expect(cells.find((c) => c.scheme === 'kaiming_normal')!.lossBySeed).to.have.length(2);
  });

  it('width findings compare the narrowest and widest width per scheme and depth', () => {
    const f = widthFindings(one, sweepCells(one));
    expect(f).to.have.length(4);
    for (const x of f) {
      expect(x.difference!.n).to.equal(2);
      const side = x.difference!.lo > 0 ? 'wider trains better' : x.difference!.hi < 0 ? 'narrower trains better' : 'within noise';
      expect(x.text).to.include(side);
    }
  });

  it('rejects bad options before any work', async () => {
    const log = join(tmp(), 'x.jsonl');
    await expectReject(runSweep(CONFIG, data, { log, workers: 0 }), /options.workers must be an integer in \[1, 256\], got 0/);
    await expectReject(runSweep(CONFIG, data, { log: '' }), /options.log must be a file path/);
    await expectReject(runSweep({ ...CONFIG, trainSize: 1000 }, data, { log }), /config.trainSize/);
  });
});

async function expectReject(p: Promise<unknown>, re: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect((e as Error).message).to.match(re);
    return;
  }
  expect.fail(`expected a rejection matching ${re}`);
}

describe('experiments/sweep: the log', () => {
  it('cuts a partial last line with a warning and skips a line that is not a record', () => {
    const log = join(tmp(), 'sweep.jsonl');
    const rec = { key: 'k1', job: {}, error: 'E', millis: 1 };
    writeFileSync(log, `${JSON.stringify(rec)}\nnot json\n${JSON.stringify({ ...rec, key: 'k2' })}\n{"key":"k3","jo`);
    const warnings: string[] = [];
    const m = readSweepLog(log, (w) => warnings.push(w));
    expect([...m.keys()]).to.deep.equal(['k1', 'k2']);
    expect(warnings).to.have.length(2);
    expect(warnings[0]).to.match(/partial last line \(\d+ bytes/);
    expect(warnings[1]).to.match(/:2: not a sweep record/);
    // The partial tail is gone from the file, so the next record starts on its own line.
    expect(readFileSync(log, 'utf8').endsWith('\n')).to.equal(true);
    appendFileSync(log, `${JSON.stringify({ ...rec, key: 'k3' })}\n`);
    expect([...readSweepLog(log, () => undefined).keys()]).to.deep.equal(['k1', 'k2', 'k3']);
  });
});
