/**
 * `initlab compare` (alias `run`) and `initlab propagate` end to end, in-process with stdout and stderr captured: the
 * report folder `<out>/<timestamp>/` (index.html, results.json), reproducibility from --seed, a scheme listed twice,
 * a failing scheme reported with its error, and bad input (--out, --scheme, flags) refused before any computing.
 * The runs are small (MNIST subset, 20 steps, 2 seeds: about a second of compute each) to keep the file fast.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { CommandIo } from '../../src/cli/framework/command.js';
import { DomainError } from '../../src/core/errors.js';
import type { CompareResult, PropagateResult } from '../../src/experiments/compare/index.js';
import { initializerNames, registerInitializer } from '../../src/init/index.js';
import { cli, type Captured } from './capture.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'initlab-study-'));

/** The small config of every compare run here (the quick net; --train-size must cover the signal and anchor batches). */
const SMALL = ['--quick', '--steps', '20', '--train-size', '1100', '--test-size', '200', '--seeds', '2'];

/** The one report folder `<out>/<timestamp>/` a run wrote, with its results.json parsed. */
function reportOf<T>(out: string): { dir: string; html: string; results: T } {
  const entries = readdirSync(out);
  expect(entries, out).to.have.length(1);
  const name = entries[0] as string;
  expect(name).to.match(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ$/);
  const dir = join(out, name);
  expect(readdirSync(dir).sort()).to.deep.equal(['index.html', 'results.json']);
  return { dir, html: readFileSync(join(dir, 'index.html'), 'utf8'), results: JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as T };
}

/**
 * A result without what may differ between two runs of the same config: the timings (meta.started, meta.millis,
 * each run's train.millis) and meta.command, which holds the --out path (each run writes into its own folder).
 */
function numbers(r: CompareResult): unknown {
  const { started: _s, millis: _m, command: _c, ...meta } = r.meta;
  return { ...r, meta, schemes: r.schemes.map((s) => ({ ...s, runs: s.runs.map((run) => ('train' in run ? { ...run, train: { ...run.train, millis: 0 } } : run)) })) };
}

/** The one line of a rejected command. */
function oneLine(c: Captured): string {
  expect(c.code, c.err).to.equal(2);
  expect(c.out).to.equal('');
  expect(c.err.endsWith('\n'), c.err).to.equal(true);
  expect(c.err.slice(0, -1)).to.not.include('\n');
  return c.err.slice(0, -1);
}

describe('cli: initlab compare', function () {
  this.timeout(60_000);
  const runs: { out: string; c: Captured }[] = [];
  before(async () => {
    for (const seed of ['5', '5', '6']) {
      const out = tmp();
      runs.push({ out, c: await cli(['compare', ...SMALL, '--seed', seed, '--out', out, '--json']) });
    }
  });

  it('writes <out>/<timestamp>/index.html and results.json; --json prints the same result', () => {
    const { c, out } = runs[0]!;
    expect(c.code, c.err).to.equal(0);
    const { dir, html, results } = reportOf<CompareResult>(out);
    expect(html).to.match(/^<!doctype html>/i);
    expect(html).to.include('<svg ');
    expect(JSON.parse(c.out)).to.deep.equal(results);
    expect(c.err).to.include(`Report: ${join(dir, 'index.html')}\n`);
    expect(results.config.seeds).to.deep.equal([5, 6]);
    expect(results.config.widths).to.deep.equal([784, 32, 32, 32, 32, 10]);
    expect(results.config.steps).to.equal(20);
    expect(results.schemes).to.have.length(5); // the quick schemes
    for (const s of results.schemes) expect(s.runs.map((run) => run.seed)).to.deep.equal([5, 6]);
  });

  it('gives identical numbers on a second run with the same --seed, and different ones with another', () => {
    const [a, b, other] = runs.map((r) => reportOf<CompareResult>(r.out).results);
    expect(JSON.stringify(numbers(b!))).to.equal(JSON.stringify(numbers(a!)));
    expect(JSON.stringify(numbers(other!))).to.not.equal(JSON.stringify(numbers(a!)));
    // Not only the seed list: the measured numbers themselves change.
    expect(JSON.stringify(other!.schemes.map((s) => s.testAccuracy))).to.not.equal(JSON.stringify(a!.schemes.map((s) => s.testAccuracy)));
  });
});

describe('cli: initlab run (the alias of compare): a scheme twice, a failing scheme', function () {
  this.timeout(60_000);
  let c: Captured;
  let r: { dir: string; html: string; results: CompareResult };
  before(async () => {
    registerInitializer(
      {
        kind: 'tensor',
        name: 'test_always_fails',
        description: 'throws (test fixture)',
        source: 'test',
        provenance: 'derived',
        init: () => {
          throw new DomainError('options.x must be in [0, 1], got 7');
        },
      },
      { replace: true },
    );
    const out = tmp();
    c = await cli(['run', ...SMALL, '--depth', '3', '--backend', 'cpu', '--scheme', 'kaiming_normal', '--scheme', 'test_always_fails', '--scheme', 'kaiming_normal', '--out', out, '--json']);
    r = reportOf<CompareResult>(out);
  });

  it('writes the report with the config the flags ask for', () => {
    expect(c.code, c.err).to.equal(0);
    expect(r.results.config.widths).to.deep.equal([784, 32, 32, 32, 10]); // --depth 3 hidden layers of the quick width
    expect(r.results.schemes.map((s) => s.scheme.id)).to.deep.equal(['kaiming_normal', 'test_always_fails', 'kaiming_normal']);
    expect(r.results.meta.backend).to.match(/^cpu\b/);
  });

  it('runs a scheme listed twice as the same streams: identical numbers at every seed', () => {
    const [first, , again] = r.results.schemes;
    expect(first!.runs.every((run) => 'train' in run)).to.equal(true);
    expect(JSON.stringify(numbers({ ...r.results, schemes: [again!] }))).to.equal(JSON.stringify(numbers({ ...r.results, schemes: [first!] })));
    const same = r.results.findings.find((f) => f.metric === 'testAccuracy' && f.a === 'kaiming_normal' && f.b === 'kaiming_normal');
    expect(same?.kind).to.equal('noise');
    expect(same?.difference).to.deep.include({ mean: 0, lo: 0, hi: 0 });
  });

  it('reports a failing scheme with its error at every seed instead of dropping it or aborting', () => {
    const failed = r.results.schemes[1]!;
    expect(failed.runs.map((run) => run.seed)).to.deep.equal(r.results.config.seeds);
    for (const run of failed.runs) expect('error' in run ? run.error : '').to.match(/^DomainError: options\.x must be in \[0, 1\], got 7$/);
    expect(r.results.ranking.at(-1)).to.equal('test_always_fails');
    expect(r.html).to.include('test_always_fails, seed');
    expect(r.html).to.match(/failed: DomainError: options\.x must be in \[0, 1\]/);
  });
});

describe('cli: initlab propagate', function () {
  this.timeout(60_000);
  it('--depths 2,3 --widths 16 --scheme kaiming_normal --seeds 2 writes its report', async () => {
    const out = tmp();
    const c = await cli(['propagate', '--depths', '2,3', '--widths', '16', '--scheme', 'kaiming_normal', '--seeds', '2', '--out', out, '--json']);
    expect(c.code, c.err).to.equal(0);
    const { html, results } = reportOf<PropagateResult>(out);
    expect(html).to.include('<svg ');
    expect(JSON.parse(c.out)).to.deep.equal(results);
    expect(results.cells.map((cell) => [cell.scheme, cell.depth, cell.width])).to.deep.equal([['kaiming_normal', 2, 16], ['kaiming_normal', 3, 16]]);
    for (const cell of results.cells) expect(cell.runs.every((run) => 'signal' in run)).to.equal(true);
  });
});

describe('cli: compare and propagate refuse bad input before any computing', () => {
  for (const cmd of ['compare', 'run', 'propagate']) {
    it(`${cmd} --out at an existing file or under /proc exits 2 with one line naming --out, writing nothing`, async () => {
      const dir = tmp();
      const file = join(dir, 'a-file');
      writeFileSync(file, 'x');
      const t0 = Date.now();
      expect(oneLine(await cli([cmd, '--out', file]))).to.equal(`initlab: ReportError: --out must be a directory, got "${file}": it is an existing file`);
      expect(oneLine(await cli([cmd, '--out', '/proc/initlab-test']))).to.equal('initlab: ReportError: --out must not be under /proc (a pseudo file system), got "/proc/initlab-test"');
      // Without the early check each would load MNIST and compute for many seconds (the full default study).
      expect(Date.now() - t0).to.be.below(2000);
      expect(readdirSync(dir)).to.deep.equal(['a-file']);
      expect(readFileSync(file, 'utf8')).to.equal('x');
    });

    it(`${cmd} with an unknown --scheme exits 2 listing the valid names, creating nothing`, async () => {
      const out = join(tmp(), 'out');
      const line = oneLine(await cli([cmd, '--scheme', 'kaiming_normall', '--out', out]));
      expect(line).to.match(/^initlab: UsageError: --scheme "kaiming_normall": unknown scheme "kaiming_normall" \(did you mean kaiming_normal\?\); schemes: /);
      expect(line.slice(line.indexOf('; schemes: ') + '; schemes: '.length).split(', ')).to.deep.equal(initializerNames());
      expect(existsSync(out)).to.equal(false);
    });
  }

  it('main(["run", …]) throws a DomainError naming a bad or unknown flag', async () => {
    const io: CommandIo = { out: () => undefined, err: () => undefined };
    let err: unknown;
    try {
      await main(['run', '--depth', 'x'], io);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(DomainError);
    expect((err as Error).message).to.match(/--depth must be an integer/);
    await main(['run', '--nope', '1'], io).then(
      () => expect.fail('should throw'),
      (e: unknown) => expect((e as Error).message).to.match(/unknown flag --nope/),
    );
  });
});
