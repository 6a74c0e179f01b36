/**
 * The import rules stated in docs/architecture.md: src/core imports nothing outside itself; src/init imports only
 * src/core and itself (no package, no Node built-in). Static check of every import / export-from / dynamic import
 * specifier in the source text.
 */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out.sort();
}

/** Module specifiers of a TypeScript source text (static imports, re-exports, dynamic imports, require). */
export function importSpecifiers(source: string): string[] {
  const noComments = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  const specs: string[] = [];
  for (const m of noComments.matchAll(/\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g)) specs.push(m[1] as string);
  for (const m of noComments.matchAll(/\bimport\s*['"]([^'"]+)['"]/g)) specs.push(m[1] as string);
  for (const m of noComments.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1] as string);
  return specs;
}

/** Specifiers of `file` that leave the allowed folders (absolute paths). */
export function violations(file: string, source: string, allowed: readonly string[]): string[] {
  return importSpecifiers(source).filter((s) => {
    if (!s.startsWith('.')) return true; // a package or a Node built-in
    const target = resolve(dirname(file), s);
    return !allowed.some((dir) => target === dir || target.startsWith(dir + sep));
  });
}

describe('docs: architecture import rules', () => {
  const core = join(ROOT, 'src', 'core');
  const init = join(ROOT, 'src', 'init');

  it('the checker flags packages and imports outside the allowed folders (self-test)', () => {
    const src = [
      "import { a } from '../../core/errors.js';",
      "import type { T } from '../entry.js';",
      "export * from './x.js';",
      "import { Tensor } from '../../tensor/index.js';",
      "import fs from 'node:fs';",
      "const m = await import('gpu.js');",
      "// import { no } from 'commented-out';",
    ].join('\n');
    const file = join(init, 'classic', 'x.ts');
    expect(violations(file, src, [core, init])).to.deep.equal(['../../tensor/index.js', 'node:fs', 'gpu.js']);
  });

  it('src/core imports nothing outside src/core', () => {
    const bad = walk(core).flatMap((f) => violations(f, readFileSync(f, 'utf8'), [core]).map((s) => `${relative(ROOT, f)}: ${s}`));
    expect(bad).to.deep.equal([]);
  });

  it('src/init imports only src/core and itself (no package, no Node built-in)', () => {
    const files = walk(init);
    expect(files.length).to.be.above(10);
    const bad = files.flatMap((f) => violations(f, readFileSync(f, 'utf8'), [core, init]).map((s) => `${relative(ROOT, f)}: ${s}`));
    expect(bad).to.deep.equal([]);
  });

  it('no layer below src/init imports it (core, kernels, tensor)', () => {
    const bad: string[] = [];
    for (const layer of ['core', 'kernels', 'tensor']) {
      const dir = join(ROOT, 'src', layer);
      if (!existsSync(dir)) continue;
      for (const f of walk(dir)) {
        for (const s of importSpecifiers(readFileSync(f, 'utf8'))) {
          if (s.startsWith('.') && resolve(dirname(f), s).startsWith(init + sep)) bad.push(`${relative(ROOT, f)}: ${s}`);
        }
      }
    }
    expect(bad).to.deep.equal([]);
  });
});
