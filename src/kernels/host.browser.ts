/**
 * The kernels' view of their host, browser edition (the browser build's stand-in for host.ts; same exports): a page
 * has no environment variables and no stderr, and the browser build runs the wasm kernels on one thread.
 */

/** Pages have no environment: every variable reads as unset. */
export function envVar(_name: string): string | undefined {
  return undefined;
}

/** Diagnostic lines go to the console as warnings. */
export function writeStderr(line: string): void {
  console.warn(line);
}

/**
 * One: the wasm backend's worker pool is built on node:worker_threads (wasm/threads.ts), which the browser build
 * leaves out, so the default is the single-thread kernels.
 */
export function availableCores(): number {
  return 1;
}
