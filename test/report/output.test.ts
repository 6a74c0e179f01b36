import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InitlabError } from '../../src/core/errors.js';
import { ReportError, checkOutputDir, reportDirName, writeReportDir } from '../../src/report/output.js';

const fresh = (): string => mkdtempSync(join(tmpdir(), 'initlab-out-'));
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('report output: checkOutputDir', () => {
  it('accepts an existing writable directory and a path that can be created, creating nothing', () => {
    const d = fresh();
    expect(checkOutputDir(d, '--out')).to.equal(d);
    const deep = join(d, 'a', 'b', 'c');
    expect(checkOutputDir(deep, '--out')).to.equal(deep);
    expect(existsSync(join(d, 'a'))).to.equal(false);
    expect(readdirSync(d)).to.deep.equal([]); // the write probe is removed
  });

  it('rejects an existing file, naming the flag and the path', () => {
    const d = fresh();
    const f = join(d, 'file.txt');
    writeFileSync(f, 'x');
    const e = thrown(() => checkOutputDir(f, '--out'));
    expect(e).to.be.instanceOf(ReportError).and.instanceOf(InitlabError);
    expect(e.message).to.match(/^--out must be a directory/).and.include('file.txt').and.match(/existing file/);
  });

  it('rejects a path whose parent is a file (the parent cannot be created)', () => {
    const d = fresh();
    writeFileSync(join(d, 'f'), 'x');
    const e = thrown(() => checkOutputDir(join(d, 'f', 'sub', 'dir'), '--report-dir'));
    expect(e).to.be.instanceOf(ReportError);
    expect(e.message).to.match(/^--report-dir must be a directory/).and.match(/which is a file/);
  });

  it('rejects paths under /proc and /sys at once (mkdir there used to hang)', function () {
    this.timeout(5000);
    for (const p of ['/proc/nope', '/proc', '/sys/x/y', '/proc/self/../nope']) {
      const e = thrown(() => checkOutputDir(p, '--out'));
      expect(e, p).to.be.instanceOf(ReportError);
      expect(e.message, p).to.match(/^--out must not be under \/(proc|sys)/);
    }
  });

  it('rejects a symlink that leads under /proc', () => {
    const d = fresh();
    const link = join(d, 'l');
    spawnSync('ln', ['-s', '/proc', link]);
    const e = thrown(() => checkOutputDir(join(link, 'nope'), '--out'));
    expect(e).to.be.instanceOf(ReportError);
    expect(e.message).to.match(/must not be under \/proc/);
  });

  it('rejects a directory that is not writable, and one whose parent is not writable', function () {
    this.timeout(30000);
    const d = fresh();
    const ro = join(d, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    chmodSync(d, 0o755);
    // root writes through mode bits; as root (CI), the check runs in a child process as user `nobody` (setpriv).
    let messages: string[];
    if (!isRoot) {
      messages = [ro, join(ro, 'new')].map((p) => thrown(() => checkOutputDir(p, '--out'))).map((e) => `${e.name}: ${e.message}`);
    } else {
      if (spawnSync('setpriv', ['--version']).status !== 0) {
        console.log('      (running as root without setpriv: the non-writable check cannot be exercised here)');
        this.skip();
      }
      const script = `
        import { checkOutputDir } from ${JSON.stringify(new URL('../../src/report/output.ts', import.meta.url).href)};
        for (const p of ${JSON.stringify([ro, join(ro, 'new')])}) {
          try { checkOutputDir(p, '--out'); console.log('accepted ' + p); } catch (e) { console.log(e.name + ': ' + e.message); }
        }`;
      const res = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', 'tsx', '--input-type=module', '-e', script], {
        encoding: 'utf8',
      });
      messages = res.stdout.trim().split('\n');
      expect(messages, res.stderr).to.have.length(2);
    }
    chmodSync(ro, 0o755);
    expect(messages[0]).to.match(/^ReportError: --out must be a writable directory: the directory .* is not writable \(EACCES\)/);
    expect(messages[1]).to.match(/^ReportError: --out must be a writable directory: its parent .* is not writable, so .* cannot be created/);
  });

  it('rejects an empty path or a NUL byte with the flag name', () => {
    expect(() => checkOutputDir('', '--out')).to.throw(ReportError, /^--out must be a directory path, got ""/);
    expect(() => checkOutputDir('a\0b', '--out')).to.throw(ReportError, /^--out must be a directory path/);
  });
});

describe('report output: reportDirName', () => {
  it('is the ISO time to the second without colons', () => {
    expect(reportDirName('2026-11-29T21:43:16.123Z')).to.equal('2026-11-29T21-43-16Z');
    expect(reportDirName(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).to.equal('2026-01-02T03-04-05Z');
    expect(() => reportDirName('not a date')).to.throw(ReportError, /when must be a valid date/);
  });
});

describe('report output: writeReportDir', () => {
  it('writes every file into parent/name, creating the parent, and leaves no temporary folder', () => {
    const d = fresh();
    const parent = join(d, 'reports');
    const out = writeReportDir(parent, 'r1', { 'index.html': '<p>hi</p>', 'results.json': '{}', 'data/raw.bin': new Uint8Array([1, 2, 3]) });
    expect(out).to.equal(join(parent, 'r1'));
    expect(readFileSync(join(out, 'index.html'), 'utf8')).to.equal('<p>hi</p>');
    expect([...readFileSync(join(out, 'data', 'raw.bin'))]).to.deep.equal([1, 2, 3]);
    expect(readdirSync(parent)).to.deep.equal(['r1']);
  });

  it('replaces a previous report as a whole', () => {
    const d = fresh();
    writeReportDir(d, 'r', { 'index.html': 'old', 'old-only.txt': 'x' });
    writeReportDir(d, 'r', { 'index.html': 'new' });
    expect(readFileSync(join(d, 'r', 'index.html'), 'utf8')).to.equal('new');
    expect(existsSync(join(d, 'r', 'old-only.txt'))).to.equal(false);
    expect(readdirSync(d)).to.deep.equal(['r']);
  });

  it('a failure in the middle leaves no partial target, no temporary folder, and the previous report intact', () => {
    const d = fresh();
    writeReportDir(d, 'r', { 'index.html': 'previous' });
    let calls = 0;
    const e = thrown(() =>
      writeReportDir(d, 'r', { 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c' }, () => {
        calls++;
        if (calls === 2) throw new Error('disk full (simulated)');
      }),
    );
    expect(calls).to.equal(2);
    expect(e).to.be.instanceOf(ReportError);
    expect(e.message).to.match(/cannot write the report .*disk full/);
    expect(readdirSync(d)).to.deep.equal(['r']);
    expect(readdirSync(join(d, 'r'))).to.deep.equal(['index.html']);
    expect(readFileSync(join(d, 'r', 'index.html'), 'utf8')).to.equal('previous');
  });

  it('a file-system error in the middle (a file where a folder must go) leaves no target and no temporary folder', () => {
    const d = fresh();
    const e = thrown(() => writeReportDir(d, 'r', { x: 'file', 'x/y': 'needs x to be a folder' }));
    expect(e).to.be.instanceOf(ReportError);
    expect(readdirSync(d)).to.deep.equal([]);
  });

  it('a process killed in the middle of writing leaves the previous report (and at most a dot-named temporary folder)', function () {
    this.timeout(30000);
    const d = fresh();
    writeReportDir(d, 'r', { 'index.html': 'previous' });
    // The child writes two files and SIGKILLs itself from the progress callback after the first: a hard crash.
    const script = `
      import { writeReportDir } from ${JSON.stringify(new URL('../../src/report/output.ts', import.meta.url).href)};
      writeReportDir(${JSON.stringify(d)}, 'r', { 'a.txt': 'a', 'b.txt': 'b' }, () => process.kill(process.pid, 'SIGKILL'));
    `;
    const res = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(res.signal, res.stderr).to.equal('SIGKILL');
    expect(readFileSync(join(d, 'r', 'index.html'), 'utf8')).to.equal('previous');
    expect(readdirSync(join(d, 'r'))).to.deep.equal(['index.html']);
    const others = readdirSync(d).filter((n) => n !== 'r');
    expect(others.every((n) => n.startsWith('.initlab-partial-r-')), others.join(',')).to.equal(true);
  });

  it('rejects bad names and contents before writing anything', () => {
    const d = fresh();
    expect(() => writeReportDir(d, '../x', { a: 'a' })).to.throw(ReportError, /name must be a single folder name/);
    expect(() => writeReportDir(d, '', { a: 'a' })).to.throw(ReportError, /name must be a single folder name/);
    expect(() => writeReportDir(d, 'r', { '../escape': 'a' })).to.throw(ReportError, /relative path inside the report/);
    expect(() => writeReportDir(d, 'r', { '/abs': 'a' })).to.throw(ReportError, /relative path inside the report/);
    expect(() => writeReportDir(d, 'r', { a: 42 as unknown as string })).to.throw(ReportError, /files\["a"\] must be a string or Uint8Array, got 42/);
    expect(() => writeReportDir(d, 'r', {})).to.throw(ReportError, /at least one file/);
    expect(() => writeReportDir('/proc/nope', 'r', { a: 'a' })).to.throw(ReportError, /parent must not be under \/proc/);
    expect(readdirSync(d)).to.deep.equal([]);
    rmSync(d, { recursive: true });
  });
});
