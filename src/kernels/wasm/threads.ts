import { Worker } from 'node:worker_threads';
import type { ColumnSplitter, GemmRangeArgs } from './gemm.js';
import type { KernelExports, KernelMemory } from './memory.js';

/**
 * Worker threads for the wasm GEMM: each worker instantiates the kernel module over the same shared memory and
 * runs `gemmRange` on a range of C's column panels; the calling thread runs its own range meanwhile and then
 * waits with Atomics. Ranges are disjoint and each is computed by the same instructions whichever thread runs
 * it, so results equal the one-thread results bit for bit.
 *
 * Control block: one slot of SLOT int32s per worker in a SharedArrayBuffer: [0] sequence number of the posted
 * job, [1] sequence number of the last finished job, [2] its status (1 done, 2 threw), [3..14] gemmRange's
 * arguments.
 *
 * Lifetime: workers start on the first product above the size threshold, are reused, and are unref'd so that
 * they never keep the process alive; an idle worker wakes every IDLE_WAKE_MS so that process exit or terminate()
 * can stop it. A worker that exits is replaced on the next call; one that throws, or does not answer within its
 * deadline, has its range recomputed by the calling thread (a range starts from scratch: its first depth block
 * stores, it never accumulates into a half-written result) and is replaced. Known limit: a worker that missed
 * its deadline only because it was descheduled for over MIN_DEADLINE_MS may still run until terminate() takes
 * effect; it writes the same values into its range, or, if the next call has already reused the memory, into
 * that call's C. Two seconds of starvation of a runnable thread has not been seen here.
 */

const SLOT = 16;
const IDLE_WAKE_MS = 200;
/** How long a worker may take beyond the calling thread's own share before it counts as dead. */
const MIN_DEADLINE_MS = 2000;

/** The worker's code (CommonJS, evaluated): wait for a job, run it, report, repeat. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, base } = workerData;
const ctl = new Int32Array(control);
const gemmRange = new WebAssembly.Instance(module, { env: { memory } }).exports.gemmRange;
let seen = 0;
for (;;) {
  if (Atomics.wait(ctl, base, seen, ${IDLE_WAKE_MS}) === 'timed-out') continue;
  seen = Atomics.load(ctl, base);
  let status = 1;
  try {
    gemmRange(ctl[base + 3], ctl[base + 4], ctl[base + 5], ctl[base + 6], ctl[base + 7], ctl[base + 8],
      ctl[base + 9], ctl[base + 10], ctl[base + 11], ctl[base + 12], ctl[base + 13], ctl[base + 14]);
  } catch {
    status = 2;
  }
  Atomics.store(ctl, base + 2, status);
  Atomics.store(ctl, base + 1, seen);
  Atomics.notify(ctl, base + 1);
}
`;

interface Helper {
  worker: Worker;
  exited: boolean;
}

export interface PoolOptions {
  /** Threads in all, the calling thread included (>= 2). */
  threads: number;
  /** Products below this many flops (2 m n k, padded) run on the calling thread alone. */
  minFlops: number;
}

export class ThreadPool implements ColumnSplitter {
  private readonly control: Int32Array;
  private readonly helpers: (Helper | null)[];
  private readonly seq: number[];
  /** Workers started so far, replacements included (for tests and `doctor`). */
  started = 0;
  /** Ranges the calling thread recomputed because a worker threw or missed its deadline. */
  retries = 0;

  constructor(
    private readonly memory: KernelMemory,
    private readonly kernels: () => KernelExports,
    readonly options: PoolOptions,
  ) {
    const helpers = options.threads - 1;
    this.control = new Int32Array(new SharedArrayBuffer(helpers * SLOT * 4));
    this.helpers = Array.from({ length: helpers }, () => null);
    this.seq = Array.from({ length: helpers }, () => 0);
  }

  /** Live workers now. */
  get live(): number {
    return this.helpers.filter((h) => h !== null && !h.exited).length;
  }

  /** Stop every worker (they are unref'd: this is only needed to free them early). */
  close(): void {
    for (let i = 0; i < this.helpers.length; i++) this.drop(i);
  }

  /** Terminate worker `i` as if it had died (tests: the next call must replace it). */
  kill(i: number): Promise<number> | undefined {
    return this.helpers[i]?.worker.terminate();
  }

  run(flops: number, nPad: number, nr: number, args: (j0: number, j1: number) => GemmRangeArgs): void {
    const panels = nPad / nr;
    const parts = Math.min(this.options.threads, panels);
    if (flops < this.options.minFlops || parts < 2) {
      this.kernels().gemmRange(...args(0, nPad));
      return;
    }
    const bounds = Array.from({ length: parts + 1 }, (_, t) => Math.round((panels * t) / parts) * nr);
    for (let t = 1; t < parts; t++) this.post(t - 1, args(bounds[t], bounds[t + 1]));
    const t0 = performance.now();
    this.kernels().gemmRange(...args(bounds[0], bounds[1]));
    const deadline = performance.now() + Math.max(MIN_DEADLINE_MS, 20 * (performance.now() - t0));
    for (let t = 1; t < parts; t++) {
      if (!this.await(t - 1, deadline)) {
        this.retries++;
        this.drop(t - 1);
        this.kernels().gemmRange(...args(bounds[t], bounds[t + 1]));
      }
    }
  }

  private post(i: number, args: GemmRangeArgs): void {
    const helper = this.helpers[i];
    if (helper === null || helper.exited) this.spawn(i);
    const base = i * SLOT;
    for (let a = 0; a < args.length; a++) this.control[base + 3 + a] = args[a];
    Atomics.store(this.control, base + 2, 0);
    this.seq[i] = (this.seq[i] + 1) | 0 || 1; // never 0: a fresh worker has seen 0
    Atomics.store(this.control, base, this.seq[i]);
    Atomics.notify(this.control, base, 1);
  }

  /** Wait for worker i's job; false when it threw or the deadline passed. */
  private await(i: number, deadline: number): boolean {
    const base = i * SLOT;
    for (;;) {
      const done = Atomics.load(this.control, base + 1);
      if (done === this.seq[i]) return Atomics.load(this.control, base + 2) === 1;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      Atomics.wait(this.control, base + 1, done, Math.min(left, 50));
    }
  }

  private spawn(i: number): void {
    const { module, memory } = this.memory.forWorkers;
    // A fresh worker has seen sequence 0: reset the slot so it waits for the next post.
    this.seq[i] = 0;
    Atomics.store(this.control, i * SLOT, 0);
    Atomics.store(this.control, i * SLOT + 1, 0);
    // execArgv [] : the worker is plain CommonJS; inherited flags (--input-type=module, loaders) would break it.
    const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { module, memory, control: this.control.buffer, base: i * SLOT } });
    worker.unref();
    const helper: Helper = { worker, exited: false };
    worker.on('exit', () => {
      helper.exited = true;
    });
    worker.on('error', () => {
      helper.exited = true;
    });
    this.helpers[i] = helper;
    this.started++;
  }

  private drop(i: number): void {
    const helper = this.helpers[i];
    if (helper === null) return;
    helper.exited = true;
    void helper.worker.terminate();
    this.helpers[i] = null;
  }
}
