/**
 * `runSweep`: the engine of `initlab sweep`. The grid's jobs not yet in the log run in parallel on a piscina pool of
 * worker threads; each record is appended to the log as it arrives, so an interrupted sweep resumes where it stopped.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { DomainError, describe } from '../../core/errors.js';
import type { ClassLabels, Dataset } from '../../nn/index.js';
import { checkData } from '../compare/config.js';
import { runMeta } from '../compare/meta.js';
import { errorText } from '../compare/run.js';
import { checkSweepConfig, jobKey, sweepJobs } from './grid.js';
import type { SweepData } from './job.js';
import { appendSweepRecord, readSweepLog } from './log.js';
import type { SweepConfig, SweepProgress, SweepRecord, SweepResult } from './types.js';
import type { SweepWorkerData } from './worker.js';

/** Options of `runSweep`. */
export interface SweepOptions {
  /** The JSONL log (created if missing): finished jobs found there are not run again. */
  readonly log: string;
  /** Worker threads; default the machine's available parallelism. */
  readonly workers?: number;
  readonly onProgress?: (e: SweepProgress) => void;
  /** Problems with the log that did not stop the sweep (a partial last line cut off, a line that is not a record). */
  readonly onWarning?: (message: string) => void;
  /** The command line or API call, kept in the meta; default 'runSweep'. */
  readonly command?: string;
}

/** `d` copied into shared memory: every worker thread reads the same bytes, no copy per thread. */
function shared(d: Dataset<ClassLabels>): Dataset<ClassLabels> {
  const x = new Float32Array(new SharedArrayBuffer(d.x.byteLength));
  x.set(d.x);
  const v = d.y.values;
  const values = v instanceof Uint8Array ? new Uint8Array(new SharedArrayBuffer(v.byteLength)) : new Int32Array(new SharedArrayBuffer(v.byteLength));
  values.set(v);
  return { x, shape: [...d.shape], y: { kind: 'labels', values, classes: d.y.classes } };
}

/** The worker entry next to this file: worker.ts under tsx (threads inherit the parent's loader), worker.js when built. */
const WORKER = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url).href;

function checkOptions(options: unknown): Required<Omit<SweepOptions, 'onProgress' | 'onWarning'>> & Pick<SweepOptions, 'onProgress' | 'onWarning'> {
  if (typeof options !== 'object' || options === null) throw new DomainError(`options must be { log, workers?, onProgress?, onWarning?, command? }, got ${describe(options)}`);
  const o = options as Record<string, unknown>;
  const known = ['log', 'workers', 'onProgress', 'onWarning', 'command'];
  const extra = Object.keys(o).filter((k) => !known.includes(k));
  if (extra.length > 0) throw new DomainError(`unknown option options.${extra[0]} (known: ${known.join(', ')})`);
  if (typeof o['log'] !== 'string' || o['log'] === '') throw new DomainError(`options.log must be a file path, got ${describe(o['log'])}`);
  const workers = o['workers'] ?? availableParallelism();
  if (!Number.isInteger(workers) || (workers as number) < 1 || (workers as number) > 256) throw new DomainError(`options.workers must be an integer in [1, 256], got ${describe(workers)}`);
  for (const f of ['onProgress', 'onWarning'] as const) {
    if (o[f] !== undefined && typeof o[f] !== 'function') throw new DomainError(`options.${f} must be a function, got ${describe(o[f])}`);
  }
  if (o['command'] !== undefined && typeof o['command'] !== 'string') throw new DomainError(`options.command must be a string, got ${describe(o['command'])}`);
  return {
    log: o['log'], workers: workers as number, command: (o['command'] as string | undefined) ?? 'runSweep',
    onProgress: o['onProgress'] as SweepOptions['onProgress'], onWarning: o['onWarning'] as SweepOptions['onWarning'],
  };
}

/**
 * Run the grid of `config` on `data` (train and test splits of a classification set). Jobs whose key is already in
 * the log are skipped; the others run on `workers` threads (each job pure and seeded: `runJob`), each record appended
 * to the log when it arrives (completion order). A job that throws — or whose thread dies — is recorded with its
 * error and the sweep goes on. The pool is destroyed before returning, so the process can exit. Returns the records
 * in grid order (widths, depths, schemes, seeds), how many jobs ran and how many came from the log.
 */
export async function runSweep(config: SweepConfig, data: SweepData, options: SweepOptions): Promise<SweepResult> {
  const cfg = checkSweepConfig(config);
  const o = checkOptions(options);
  if (typeof data !== 'object' || data === null) throw new DomainError(`data must be { train, test } datasets, got ${describe(data)}`);
  const train = checkData(data.train, 'data.train', data.train?.shape?.slice(1).reduce((a, b) => a * b, 1) ?? 0, data.train?.y?.classes ?? 0, cfg.trainSize, 'config.trainSize');
  const test = checkData(data.test, 'data.test', train.shape.slice(1).reduce((a, b) => a * b, 1), data.test?.y?.classes ?? 0, cfg.testSize, 'config.testSize');
  const started = new Date();
  const t0 = performance.now();
  const jobs = sweepJobs(cfg);
  const warn = o.onWarning ?? ((m: string): void => void process.emitWarning(m));
  const done = readSweepLog(o.log, warn);
  const pending = jobs.filter((j) => !done.has(jobKey(j)));
  let finished = jobs.length - pending.length;
  o.onProgress?.({ done: finished, total: jobs.length, label: `${finished} jobs found in the log` });
  if (pending.length > 0) {
    const threads = Math.min(o.workers, pending.length);
    const workerData: SweepWorkerData = { data: { train: shared(train), test: shared(test) }, backend: cfg.backend };
    const pool = new Piscina({ filename: WORKER, minThreads: threads, maxThreads: threads, workerData, idleTimeout: 1000 });
    try {
      await Promise.all(pending.map(async (job) => {
        const t = performance.now();
        let rec: SweepRecord;
        try {
          rec = (await pool.run(job)) as SweepRecord;
        } catch (e) {
          // The thread itself failed (out of memory, a crash outside the job's own try): recorded like a job error.
          rec = { key: jobKey(job), job, error: `worker: ${errorText(e)}`, millis: performance.now() - t };
        }
        appendSweepRecord(o.log, rec);
        done.set(rec.key, rec);
        finished += 1;
        o.onProgress?.({ done: finished, total: jobs.length, label: `width ${job.width} depth ${job.depth} ${job.scheme.id} seed ${job.seed}${'error' in rec ? ': failed' : ''}` });
      }));
    } finally {
      await pool.destroy();
    }
  }
  const records = jobs.map((j) => done.get(jobKey(j))!);
  const meta = { ...runMeta(started, performance.now() - t0, o.command), workers: Math.min(o.workers, Math.max(1, pending.length)) };
  return { config: cfg, meta, records, ran: pending.length, skipped: jobs.length - pending.length, log: o.log };
}
