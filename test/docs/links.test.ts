/**
 * Documentation links: every relative link in docs/**.md and README.md resolves to an existing file, and every
 * `docs/schemes/<name>.md` named in a src/ comment exists. External links (http:, https:, mailto:) and pure anchors
 * are not checked; fenced code blocks and inline code are ignored.
 */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function walk(dir: string, ext: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p, ext));
    else if (p.endsWith(ext)) out.push(p);
  }
  return out.sort();
}

/** Relative link targets of a markdown text (anchors stripped), outside fenced code blocks and inline code. */
export function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
  const links: string[] = [];
  for (const m of prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const target = m[1] as string;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
    const path = target.split('#')[0] as string;
    if (path !== '') links.push(decodeURI(path));
  }
  return links;
}

/** Links of `file` (absolute path of a markdown file) that do not resolve to an existing file or folder. */
export function brokenLinks(file: string, markdown: string): string[] {
  return relativeLinks(markdown).filter((t) => !existsSync(resolve(dirname(file), t)));
}

describe('docs: links', () => {
  const mdFiles = [join(ROOT, 'README.md'), ...walk(join(ROOT, 'docs'), '.md')].filter((f) => existsSync(f));

  it('the checker finds relative links and reports missing targets (self-test)', () => {
    const md = [
      'See [a](schemes/README.md), [b](./nope.md#x), [c](https://example.org/x.md), [d](#top).',
      '```ts',
      "const s = '[e](not-a-link.md)';",
      '```',
      'and `[f](inline.md)`.',
    ].join('\n');
    expect(relativeLinks(md)).to.deep.equal(['schemes/README.md', './nope.md']);
    expect(brokenLinks(join(ROOT, 'docs', 'x.md'), md)).to.deep.equal(['./nope.md']);
  });

  it('there are documentation pages to check', () => {
    expect(mdFiles.some((f) => f.includes(`${join('docs', 'schemes')}`))).to.equal(true);
  });

  for (const file of mdFiles) {
    it(`${relative(ROOT, file)}: every relative link resolves`, () => {
      expect(brokenLinks(file, readFileSync(file, 'utf8'))).to.deep.equal([]);
    });
  }

  it('every docs/schemes/<name>.md named in src/ exists', () => {
    const missing: string[] = [];
    for (const file of walk(join(ROOT, 'src'), '.ts')) {
      for (const m of readFileSync(file, 'utf8').matchAll(/docs\/schemes\/([A-Za-z0-9_.-]+\.md)/g)) {
        if (!existsSync(join(ROOT, 'docs', 'schemes', m[1] as string))) missing.push(`${relative(ROOT, file)}: docs/schemes/${m[1]}`);
      }
    }
    expect(missing).to.deep.equal([]);
  });
});
