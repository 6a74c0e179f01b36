/**
 * The JSONL log of a sweep (`<out>/sweep.jsonl`): one record per line, each written whole by one appendFileSync, so a
 * kill leaves whole lines only. A trailing partial line (from a crash of an older writer, or a full disk) is cut off
 * with a warning before anything is appended, so the next record starts on a line of its own.
 */
import { appendFileSync, existsSync, readFileSync, truncateSync } from 'node:fs';
import { DomainError, describe } from '../../core/errors.js';
import type { SweepRecord } from './types.js';

/** A record as read back: an object with a string key and a job, and either a result or an error. */
function isRecord(v: unknown): v is SweepRecord {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o['key'] === 'string' && typeof o['job'] === 'object' && ('result' in o || typeof o['error'] === 'string');
}

/**
 * The records of the log at `file` by key (none when it does not exist). A trailing line without its newline is cut
 * from the file and reported through `warn`; a whole line that is not a record is skipped with a warning (its job
 * runs again). When a key appears twice the later record wins.
 */
export function readSweepLog(file: string, warn: (message: string) => void): Map<string, SweepRecord> {
  const out = new Map<string, SweepRecord>();
  if (!existsSync(file)) return out;
  const buf = readFileSync(file);
  const end = buf.lastIndexOf(0x0a) + 1;
  if (end < buf.length) {
    warn(`${file}: ignored a partial last line (${buf.length - end} bytes, from an interrupted write); its job runs again`);
    truncateSync(file, end);
  }
  const lines = buf.subarray(0, end).toString('utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      v = undefined;
    }
    if (isRecord(v)) out.set(v.key, v);
    else warn(`${file}:${i + 1}: not a sweep record, skipped: ${describe(line.slice(0, 80))}`);
  });
  return out;
}

/** Append `record` to the log as one line, with one write. */
export function appendSweepRecord(file: string, record: SweepRecord): void {
  if (typeof record !== 'object' || record === null || typeof record.key !== 'string') throw new DomainError(`record must be a SweepRecord, got ${describe(record)}`);
  appendFileSync(file, `${JSON.stringify(record)}\n`);
}
