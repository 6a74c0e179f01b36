/**
 * The kernels' view of their host, Node edition: environment variables, the stderr line, the core count. Every
 * module of src/kernels that needs the process reads it through here, so that the browser build can swap this file
 * for host.browser.ts (web/build.ts maps each `x.ts` with a sibling `x.browser.ts` onto the latter) instead of
 * testing for `process` at run time.
 */
import os from 'node:os';

/** An environment variable (INITLAB_QUIET, INITLAB_GPU_FAIL, ...), undefined when unset. */
export function envVar(name: string): string | undefined {
  return process.env[name];
}

/** Write one diagnostic line (a newline is added). */
export function writeStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Cores available to this process: the wasm backend's default thread count. */
export function availableCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}
