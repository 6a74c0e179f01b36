/**
 * Where reports go, safely: `checkOutputDir` validates an output folder before any computing (so a bad `--out` is a
 * one-line typed error, not a stack trace after minutes of work), and `writeReportDir` writes a report folder
 * atomically: every file goes into a temporary folder next to the target, which is renamed into place only when
 * complete, so a crash or Ctrl-C leaves the previous report or none, never half of one.
 */
import { accessSync, constants, existsSync, lstatSync, mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { InitlabError, describe } from '../core/errors.js';

/** An output location that cannot be used (a file, not writable, under /proc or /sys), or a report that failed to write. */
export class ReportError extends InitlabError {}

/** Pseudo file systems: writing there is meaningless, and mkdir under /proc can block instead of failing. */
const PSEUDO_ROOTS = ['/proc', '/sys'];

const underPseudo = (p: string): string | undefined => PSEUDO_ROOTS.find((r) => p === r || p.startsWith(`${r}/`));

/** Prefix of temporary folders; dot-named so that an interrupted write does not look like a report. */
const TMP_PREFIX = '.initlab-partial-';

/** Can this process create entries in directory `dir`? Probed by creating and removing a folder, which also catches read-only mounts. */
function probeWritable(dir: string): string | undefined {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    const probe = mkdtempSync(join(dir, `${TMP_PREFIX}probe-`));
    rmSync(probe, { recursive: true, force: true });
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? String(e);
  }
}

/**
 * Check that `path` can hold reports, before any computing: it is an existing writable directory, or it does not
 * exist and its nearest existing ancestor is a writable directory (so it can be created; nothing is created here).
 * Returns the absolute path. Throws a ReportError naming `flagName` (e.g. '--out') for an empty path, an existing
 * file, a non-writable directory, a path under /proc or /sys, or a parent that cannot be created.
 */
export function checkOutputDir(path: string, flagName: string): string {
  if (typeof flagName !== 'string' || flagName.length === 0) throw new ReportError(`flagName must be a non-empty string, got ${describe(flagName)}`);
  if (typeof path !== 'string' || path.length === 0 || path.includes('\0')) {
    throw new ReportError(`${flagName} must be a directory path, got ${describe(path)}`);
  }
  const abs = resolve(path);
  const lexical = underPseudo(abs);
  if (lexical !== undefined) throw new ReportError(`${flagName} must not be under ${lexical} (a pseudo file system), got ${describe(path)}`);
  // Walk up to the nearest existing ancestor: it decides whether the rest can be created.
  let existing = abs;
  while (!existsSync(existing)) {
    const up = dirname(existing);
    if (up === existing) break;
    existing = up;
  }
  let real: string;
  try {
    real = realpathSync(existing);
  } catch (e) {
    throw new ReportError(`${flagName}: cannot resolve ${describe(existing)} (${(e as NodeJS.ErrnoException).code ?? String(e)}), given ${describe(path)}`);
  }
  const viaLink = underPseudo(real);
  if (viaLink !== undefined) throw new ReportError(`${flagName} must not be under ${viaLink} (a pseudo file system), got ${describe(path)} (resolves to ${real})`);
  if (!statSync(real).isDirectory()) {
    const what = existing === abs ? 'an existing file' : `under ${describe(existing)}, which is a file`;
    throw new ReportError(`${flagName} must be a directory, got ${describe(path)}: it is ${what}`);
  }
  const why = probeWritable(real);
  if (why !== undefined) {
    const what = existing === abs ? `the directory ${describe(path)} is not writable` : `its parent ${describe(existing)} is not writable, so ${describe(path)} cannot be created`;
    throw new ReportError(`${flagName} must be a writable directory: ${what} (${why})`);
  }
  return abs;
}

/** `2026-11-29T21-43-16Z`: a report folder name from an ISO time, sortable and valid on every file system. */
export function reportDirName(when: Date | string): string {
  const d = typeof when === 'string' ? new Date(when) : when;
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new ReportError(`when must be a valid date or ISO time, got ${describe(when)}`);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
}

/** Relative file path inside a report: no absolute path, no `..`, no empty segment. */
function checkRelative(rel: string): string {
  const n = normalize(rel);
  if (rel.length === 0 || rel.includes('\0') || isAbsolute(rel) || n.split(sep).some((s) => s === '..' || s === '') || n === '.') {
    throw new ReportError(`files: a report file name must be a relative path inside the report, got ${describe(rel)}`);
  }
  return n;
}

/** Progress of writeReportDir: called after each file is written (a crash test hooks here). */
export type WriteProgress = (file: string, done: number, total: number) => void;

/**
 * Write `files` (relative path → content) as the folder `parent/name`, atomically: into a temporary folder
 * `parent/.initlab-partial-<name>-XXXXXX` first, renamed to `parent/name` once every file is written. A previous
 * `parent/name` is replaced only then (moved aside, the new one renamed in, the old one removed). If anything fails
 * the temporary folder is removed, the previous report is left as it was, and a ReportError names the target; a
 * hard crash (SIGKILL, power loss) can leave a dot-named temporary folder but never a partial `parent/name`.
 * Returns the absolute path of the report folder.
 */
export function writeReportDir(parent: string, name: string, files: Readonly<Record<string, string | Uint8Array>>, onFile?: WriteProgress): string {
  if (typeof parent !== 'string' || parent.length === 0) throw new ReportError(`parent must be a directory path, got ${describe(parent)}`);
  if (typeof name !== 'string' || name.length === 0 || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    throw new ReportError(`name must be a single folder name, got ${describe(name)}`);
  }
  if (files === null || typeof files !== 'object') throw new ReportError(`files must be a record of file name → content, got ${describe(files)}`);
  const entries = Object.entries(files).map(([rel, content]): [string, string | Uint8Array] => {
    if (typeof content !== 'string' && !(content instanceof Uint8Array)) {
      throw new ReportError(`files[${JSON.stringify(rel)}] must be a string or Uint8Array, got ${describe(content)}`);
    }
    return [checkRelative(rel), content];
  });
  if (entries.length === 0) throw new ReportError('files must name at least one file, got an empty record');
  const dir = resolve(parent);
  const pseudo = underPseudo(dir);
  if (pseudo !== undefined) throw new ReportError(`parent must not be under ${pseudo} (a pseudo file system), got ${describe(parent)}`);
  const target = join(dir, name);
  let tmp: string | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    tmp = mkdtempSync(join(dir, `${TMP_PREFIX}${name}-`));
    entries.forEach(([rel, content], i) => {
      const file = join(tmp as string, rel);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      onFile?.(rel, i + 1, entries.length);
    });
    if (existsSync(target) || isLink(target)) {
      const old = mkdtempSync(join(dir, `${TMP_PREFIX}${name}-old-`));
      renameSync(target, join(old, 'report'));
      try {
        renameSync(tmp, target);
      } catch (e) {
        renameSync(join(old, 'report'), target); // put the previous report back
        rmSync(old, { recursive: true, force: true });
        throw e;
      }
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, target);
    }
    tmp = undefined;
    return target;
  } catch (e) {
    if (e instanceof InitlabError) throw e;
    throw new ReportError(`cannot write the report ${describe(target)}: ${(e as Error).message}`);
  } finally {
    if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
  }
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
