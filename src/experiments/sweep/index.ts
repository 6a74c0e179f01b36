// The engine of `initlab sweep`: a grid of widths × depths × schemes × seeds on a worker pool, logged as JSONL.
export * from './types.js';
export { canonicalJson, checkSweepConfig, dataChecksum, jobKey, sweepJobs } from './grid.js';
export { jobRecord, layerMeanAbs, runJob, type SweepData } from './job.js';
export { appendSweepRecord, readSweepLog } from './log.js';
export { runSweep, type SweepOptions } from './run.js';
export { sweepCells, widthFindings, type SweepCell } from './summary.js';
