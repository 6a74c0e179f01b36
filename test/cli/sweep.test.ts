/**
 * `initlab sweep` end to end on synthetic CSV data (gaussianBlobs, 6 features, 3 classes): the log and the report
 * folder, a rerun that runs nothing, the grid file, bad input refused before any work, and — in a child process
 * under tsx — that the worker threads load the TypeScript sources and the process exits on its own when done.
 */
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SweepResult } from '../../src/experiments/sweep/index.js';
import { gaussianBlobs } from '../../src/nn/index.js';
import { cli, type Captured } from './capture.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'initlab-sweep-cli-'));

/** A gaussianBlobs set as a CSV with a label column. */
function blobsCsv(file: string, n: number, seed: number): string {
  const d = gaussianBlobs(n, { seed, centers: 3, dim: 6, std: 2 });
  const rows = Array.from({ length: n }, (_, i) => [...d.x.subarray(i * 6, (i + 1) * 6)].join(',') + `,${d.y.values[i]}`);
  writeFileSync(file, `${['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'label'].join(',')}\n${rows.join('\n')}\n`);
  return file;
}

const dataDir = tmp();
const DATA = ['--data', blobsCsv(join(dataDir, 'train.csv'), 240, 11), '--eval-data', blobsCsv(join(dataDir, 'test.csv'), 60, 12)];
const SIZES = [...DATA, '--coord-steps', '2', '--signal-batch', '32', '--anchor-batch', '32', '--train-size', '240', '--test-size', '60', '--batch', '16'];
const SMALL = [...SIZES, '--steps', '10'];

const logLines = (out: string): string[] => readFileSync(join(out, 'sweep.jsonl'), 'utf8').split('\n').filter((l) => l !== '');

/** The one line of a rejected command. */
function oneLine(c: Captured): string {
  expect(c.code, c.err).to.equal(2);
  expect(c.err.trimEnd()).to.not.include('\n');
  return c.err.trimEnd();
}

describe('cli: initlab sweep', function () {
  this.timeout(60_000);

  it('runs the grid on 2 workers, logs every job, writes the report; a rerun runs nothing', async () => {
    const out = tmp();
    const args = ['sweep', ...SMALL, '--widths', '8,16', '--depths', '1', '--scheme', 'kaiming_normal', '--scheme', 'xavier_normal', '--seeds', '2', '--workers', '2', '--out', out];
    const c = await cli([...args, '--json']);
    expect(c.code, c.err).to.equal(0);
    const r = JSON.parse(c.out) as SweepResult;
    expect([r.ran, r.skipped, r.meta.workers]).to.deep.equal([8, 0, 2]);
    expect(logLines(out)).to.have.length(8);
    const dirs = readdirSync(out).filter((n) => n !== 'sweep.jsonl');
    expect(dirs).to.have.length(1);
    const html = readFileSync(join(out, dirs[0]!, 'index.html'), 'utf8');
    expect(html).to.include('Does wider train better?');
    expect(html).to.include('Coordinate check: kaiming_normal, depth 1');
    expect(html).to.include('Coordinate check: xavier_normal, depth 1');
    // The coordinate check's legend names layers (curveFigure's default legend title is 'scheme').
    expect(html).to.match(/>layer<\/text>/);
    expect(html).to.include('after 2 steps');
    expect((html.match(/<svg/g) ?? []).length).to.equal(3);
    const again = await cli(args);
    expect(again.code, again.err).to.equal(0);
    expect(again.err).to.include('0 jobs run, 8 found in the log');
    expect(again.out).to.match(/Findings:\n[≈✓] kaiming_normal, depth 1: /);
    expect(logLines(out)).to.have.length(8);
  });

  it('reads the grid from a JSON file, and refuses a key given twice or unknown', async () => {
    const out = tmp();
    const grid = join(out, 'grid.json');
    writeFileSync(grid, JSON.stringify({ widths: [8, 12], depths: [2], schemes: ['kaiming_normal'], seeds: [4, 9] }));
    const c = await cli(['sweep', ...SMALL, '--grid', grid, '--workers', '1', '--out', out, '--json']);
    expect(c.code, c.err).to.equal(0);
    const r = JSON.parse(c.out) as SweepResult;
    expect(r.records.map((x) => [x.job.width, x.job.depth, x.job.seed])).to.deep.equal([[8, 2, 4], [8, 2, 9], [12, 2, 4], [12, 2, 9]]);
    expect(oneLine(await cli(['sweep', ...SMALL, '--grid', grid, '--widths', '8', '--out', out]))).to.match(/--widths is given both as a flag and in the --grid file/);
    writeFileSync(grid, JSON.stringify({ width: [8] }));
    expect(oneLine(await cli(['sweep', '--grid', grid, '--out', out]))).to.match(/unknown key "width" \(known: schemes, /);
    writeFileSync(grid, JSON.stringify({ seeds: [1, 1] }));
    expect(oneLine(await cli(['sweep', '--grid', grid, '--out', out]))).to.match(/"seeds" must be a non-empty list of distinct integers/);
  });

  it('refuses bad input in one line before any work', async () => {
    const out = tmp();
    expect(oneLine(await cli(['sweep', '--workers', '0', '--out', out]))).to.match(/--workers must be an integer in \[1, 256\], got "0"/);
    expect(oneLine(await cli(['sweep', '--scheme', 'kaiming_normal', '--scheme', 'kaiming_normal', '--out', out]))).to.match(/listed twice/);
    expect(oneLine(await cli(['sweep', '--steps', '3', '--coord-steps', '4', '--out', out]))).to.match(/--coord-steps must be at most --steps = 3, got 4/);
    expect(oneLine(await cli(['sweep', ...DATA, '--signal-batch', '32', '--anchor-batch', '32', '--train-size', '500', '--out', out]))).to.match(/--data holds 240 training samples; --train-size asks for 500/);
    expect(readdirSync(out)).to.deep.equal([]);
  });

  it('in a fresh process under tsx: the workers load the sources and the process exits on its own', () => {
    const out = tmp();
    const args = ['--import', 'tsx', 'src/cli/main.ts', 'sweep', ...SMALL, '--widths', '8', '--depths', '1', '--scheme', 'kaiming_normal', '--seeds', '2', '--workers', '2', '--out', out];
    // A pool left open would keep the process alive until the timeout kills it (status null).
    const p = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 40_000 });
    expect(p.status, p.stderr).to.equal(0);
    expect(p.stderr).to.include('2 jobs run, 0 found in the log');
    expect(logLines(out)).to.have.length(2);
  });

  it('killed (SIGKILL) mid-sweep, the same command resumes: every job once, no duplicate rows', async () => {
    const out = tmp();
    const grid = ['sweep', ...SIZES, '--steps', '150', '--widths', '8,16,24', '--depths', '1,2', '--scheme', 'kaiming_normal', '--seeds', '2', '--workers', '1', '--out', out];
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...grid], { stdio: 'ignore' });
    let running = true;
    const exited = new Promise<void>((resolve) => child.on('exit', () => void ((running = false), resolve())));
    // Kill as soon as the first jobs are logged (polling the log; the grid has 12 jobs).
    const t0 = Date.now();
    while (running && Date.now() - t0 < 40_000 && !(existsSync(join(out, 'sweep.jsonl')) && logLines(out).length >= 2)) await new Promise((r) => setTimeout(r, 20));
    expect(running, 'the sweep ended before it was killed').to.equal(true);
    child.kill('SIGKILL');
    await exited;
    const before = logLines(out).length;
    expect(before).to.be.within(2, 11);
    const c = await cli([...grid, '--json']);
    expect(c.code, c.err).to.equal(0);
    const r = JSON.parse(c.out) as SweepResult;
    expect([r.skipped, r.ran]).to.deep.equal([before, 12 - before]);
    const keys = logLines(out).map((l) => (JSON.parse(l) as { key: string }).key);
    expect(keys).to.have.length(12);
    expect(new Set(keys).size).to.equal(12);
  });
});
