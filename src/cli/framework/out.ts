/**
 * `--out` checked before any computing: the folder is created (with its parents) and must be a writable folder, so a
 * bad path is a one-line UsageError up front instead of an EACCES / EEXIST stack trace after the work.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe } from '../../core/errors.js';
import { UsageError } from './flags.js';

/** Why a file-system call failed, in a few words (the error code when there is one). */
function reason(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : e instanceof Error ? e.message : String(e);
}

/**
 * `mkdir -p` one level at a time: Node's `mkdirSync(…, { recursive: true })` never returns for a path under /proc
 * (it retries the ENOENT forever), so the missing folders are created from the nearest existing one down.
 */
function makeDirs(abs: string): void {
  const missing: string[] = [];
  for (let d = abs; !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) mkdirSync(d);
}

/** Create `dir` (given as `--${flag}`) if needed and check that it is a writable folder; its absolute path. */
export function prepareOutDir(dir: string, flag = 'out'): string {
  const abs = resolve(dir);
  try {
    makeDirs(abs);
  } catch (e) {
    throw new UsageError(`--${flag} ${describe(dir)} cannot be created as a folder (${reason(e)})`);
  }
  if (!statSync(abs).isDirectory()) throw new UsageError(`--${flag} ${describe(dir)} is a file, not a folder`);
  try {
    accessSync(abs, constants.W_OK);
  } catch (e) {
    throw new UsageError(`--${flag} ${describe(dir)} is not writable (${reason(e)})`);
  }
  return abs;
}
