/** How a result was made: version, backend and threads, Node, start time, wall time and the command (RunMeta). */
import { readFileSync } from 'node:fs';
import { getBackend } from '../../kernels/index.js';
import type { RunMeta } from './types.js';

/** The package version, read from package.json (two folders above src/experiments/compare and dist/…/compare). */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown'; // a bundled copy without package.json still runs; the meta says so
  }
}

/** RunMeta of a run that started at `started` (Date) and took `millis`, made by `command`. */
export function runMeta(started: Date, millis: number, command: string): RunMeta {
  const b = getBackend();
  // Only the wasm backend has worker threads; it exposes them as `pool.options.threads` (null pool: one thread).
  const pool = (b as unknown as { pool?: { options?: { threads?: number } } | null }).pool;
  return {
    version: packageVersion(),
    backend: `${b.name} — ${b.describe()}`,
    threads: pool?.options?.threads ?? 1,
    node: process.version,
    started: started.toISOString(),
    millis,
    command,
  };
}
