/**
 * The piscina worker of `runSweep`: the data arrive once per thread in `workerData` (shared memory, no copy), the
 * backend is set as the parent resolved it, and each task is one job → one record (errors recorded, never thrown).
 */
import { workerData } from 'node:worker_threads';
import { setBackend } from '../../kernels/index.js';
import { jobRecord, type SweepData } from './job.js';
import type { SweepJob, SweepRecord } from './types.js';

/** What the parent hands every worker thread. */
export interface SweepWorkerData {
  readonly data: SweepData;
  readonly backend: string;
}

// workerData is whatever the parent passed to Piscina: runSweep always passes a SweepWorkerData.
const wd = workerData as SweepWorkerData;
setBackend(wd.backend);

/** One task: the record of `job`. */
export default function sweepTask(job: SweepJob): SweepRecord {
  return jobRecord(job, wd.data);
}
