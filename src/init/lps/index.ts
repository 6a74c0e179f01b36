/**
 * Public surface of the lps scheme folder (docs/schemes/lps.md).
 *
 * LPS-R: a **reconstruction** of the LPS (linear product structure) initialization of Chen, Hao & He,
 * "A weight initialization based on the linear product structure for neural networks", arXiv:2109.00125,
 * Applied Mathematics and Computation 415 (2022) 126722.
 *
 * The paper's method section, equations and experiments were NOT available to the spec writers; the algorithm
 * (anchors, targets, rescale, output layer) is a reconstruction (docs/schemes/lps.md). It is not "the LPS method of
 * Chen, Hao & He"; call it "LPS-R (reconstruction)".
 *
 * Files: `options.ts` (option types, parsed once at each public boundary), `dense.ts` (the per-layer data-anchored
 * solve, `lpsDense`), `conv2d.ts` (im2col, `lpsConv2d`), `network.ts` (`lpsInitMLP`), `entries.ts` (registry
 * entries `lps_r`, `lps_r_plus`).
 */
export * from './options.js';
// dense.ts also holds the internal solve (lpsSolve), batch check (checkBatch) and fisherYatesStep shared by conv2d.ts and network.ts.
export { type LpsDenseResult, lpsDense } from './dense.js';
export * from './conv2d.js';
// network.ts also holds lpsNetwork, lpsInitMLP with resolved options (internal, used by entries.ts).
export { type LpsMlpResult, lpsInitMLP } from './network.js';
export * from './entries.js';
