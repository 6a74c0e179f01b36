/**
 * The `cpu` backend's provider: hand-written JavaScript kernels, available everywhere, and the reference every
 * other backend is checked against (exact float64 accumulation).
 */
import type { BackendProbe, BackendProvider } from '../backend.js';
import { CpuBackend } from './backend.js';

export { CpuBackend } from './backend.js';

const PROBE: BackendProbe = {
  available: true,
  fast: true,
  reason: 'pure JavaScript kernels, available everywhere',
};

/** Lowest priority: 'auto' takes it when no faster backend is available here. */
export const cpuProvider: BackendProvider = {
  name: 'cpu',
  priority: 0,
  reference: true,
  probe: () => PROBE,
  create: () => new CpuBackend(),
};
