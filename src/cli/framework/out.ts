/**
 * `--out` checked before any computing and created (with its parents), so a bad path is a one-line error up front
 * instead of an EACCES / EEXIST stack trace after the work.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { checkOutputDir } from '../../report/output.js';
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

/**
 * Check `dir` (given as `--${flag}`) with the report's `checkOutputDir` — a path under /proc or /sys, an existing
 * file, a folder that is not writable or cannot be created is a one-line ReportError naming the flag — then create it
 * with its parents; its absolute path.
 */
export function prepareOutDir(dir: string, flag = 'out'): string {
  const abs = checkOutputDir(dir, `--${flag}`);
  try {
    makeDirs(abs);
  } catch (e) {
    throw new UsageError(`--${flag} ${describe(dir)} cannot be created as a folder (${reason(e)})`);
  }
  return abs;
}
