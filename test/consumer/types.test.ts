/**
 * The published types work for a strict consumer without skipLibCheck: the package's declarations (dist/) are put
 * into a scratch node_modules/initlab beside its `dependencies` (not its devDependencies, as after `npm install
 * initlab`), and a small consumer (consumer.ts.txt) importing 'initlab', 'initlab/init' and 'initlab/nn' is
 * compiled with strict: true, skipLibCheck: false, no @types/node and no DOM lib. Declarations are reused from
 * dist/ when it is newer than every source file, else built into the scratch directory (tsconfig.build.json).
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; files: string[] };

/** Newest modification time of the files under `dir`. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Run a command; its exit status and output (stdout + stderr). */
function run(cmd: string, args: string[], cwd: string): { status: number; output: string } {
  try {
    return { status: 0, output: execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe' }) };
  } catch (e) {
    const x = e as { status?: number; stdout?: string; stderr?: string };
    return { status: x.status ?? 1, output: `${x.stdout ?? ''}${x.stderr ?? ''}` };
  }
}

describe('published types: a strict consumer (strict, no skipLibCheck, no @types/node) compiles against initlab', function () {
  this.timeout(300_000);
  let scratch = '';
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'initlab-consumer-'));
  });
  after(() => {
    if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
  });

  it('compiles consumer.ts.txt importing initlab, initlab/init and initlab/nn without errors', () => {
    const installed = join(scratch, 'node_modules/initlab');
    mkdirSync(installed, { recursive: true });
    cpSync(join(root, 'package.json'), join(installed, 'package.json'));
    const dist = join(root, 'dist');
    if (existsSync(join(dist, 'index.d.ts')) && statSync(join(dist, 'index.d.ts')).mtimeMs >= newest(join(root, 'src'))) {
      cpSync(dist, join(installed, 'dist'), { recursive: true });
    } else {
      const build = run(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', join(installed, 'dist'), '--sourceMap', 'false'], root);
      expect(build.status, `building the declarations failed:\n${build.output}`).to.equal(0);
    }
    // What `npm install initlab` brings: the package's dependencies (and their own, hoisted), never its devDependencies.
    for (const dep of [...Object.keys(pkg.dependencies ?? {})]) {
      const target = join(scratch, 'node_modules', dep);
      mkdirSync(dirname(target), { recursive: true });
      symlinkSync(join(root, 'node_modules', dep), target, 'dir');
    }
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    cpSync(join(root, 'test/consumer/consumer.ts.txt'), join(scratch, 'consumer.ts'));
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true, skipLibCheck: false, noEmit: true, target: 'ES2022', lib: ['ES2022'], types: [],
        module: 'NodeNext', moduleResolution: 'NodeNext',
      },
      files: ['consumer.ts'],
    }));
    const r = run(process.execPath, [tsc, '-p', join(scratch, 'tsconfig.json')], scratch);
    expect(r.status, `the consumer does not compile:\n${r.output}`).to.equal(0);
  });
});
