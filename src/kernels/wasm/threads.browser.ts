import { BackendError } from '../../core/errors.js';
import type { ColumnSplitter, GemmRangeArgs } from './gemm.js';
import type { KernelExports, KernelMemory } from './memory.js';

/**
 * The browser build's stand-in for threads.ts (same export): its pool is made of node:worker_threads, which a page
 * does not have. The browser host reports one core (../host.browser.ts), so the wasm backend makes no pool unless
 * asked for threads explicitly, and then this says why it cannot.
 */
/** As in threads.ts: threads in all (calling thread included) and the size threshold. */
export interface PoolOptions {
  threads: number;
  minFlops: number;
}

export class ThreadPool implements ColumnSplitter {
  readonly started = 0;
  readonly retries = 0;
  readonly live = 0;

  constructor(_memory: KernelMemory, _kernels: () => KernelExports, readonly options: PoolOptions) {
    throw new BackendError(`options.threads must be 1 in the browser build (no worker pool there), got ${options.threads}`);
  }

  close(): void {}

  run(_flops: number, _nPad: number, _nr: number, _args: (j0: number, j1: number) => GemmRangeArgs): void {}
}
