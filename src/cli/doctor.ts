import { createRng } from '../init/support/rng.js';
import type { Backend } from '../kernels/backend.js';
import { agreement, gemmErrorBound } from '../kernels/agreement.js';
import { backends, safeProbe, type BackendRegistry } from '../kernels/registry.js';

/** Size of the agreement check: big enough to exercise long float32 sums, quick even on llvmpipe. */
const CHECK_SIZE = 256;

/** Width of the label column. */
const LABEL = 20;

/**
 * `initlab doctor`: every backend of `registry` (its probe, whether it can be created, its own diagnostic rows),
 * what 'auto' picks and why, and whether each non-reference backend agrees with the reference backend on a
 * 256² float32 matmul. Names no backend: everything comes from the registry. Prints a human-readable report
 * and returns the exit code, 0: a missing backend is a finding, not a failure.
 */
export function doctor(
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  registry: BackendRegistry = backends,
): number {
  const row = (label: string, value: string): void => write(`  ${label.padEnd(LABEL)}${value}`);
  write('initlab doctor');
  row('node', `${process.version} (${process.platform} ${process.arch})`);
  row('DISPLAY', process.env.DISPLAY ?? '(unset)');

  row('backends', registry.names().join(', '));
  const ready = new Map<string, Backend>();
  for (const p of registry.list()) {
    const probe = safeProbe(p);
    const backend = probe.available ? tryCreate(registry, p.name) : probe.reason;
    if (typeof backend === 'string') {
      row(`  ${p.name}`, `unavailable: ${backend}`);
    } else {
      ready.set(p.name, backend);
      row(`  ${p.name}`, `available: ${backend.describe()}`);
    }
    const role = [p.reference === true ? 'reference' : null, `priority ${p.priority}`].filter((s) => s !== null).join(', ');
    const verdict = !probe.available ? 'unavailable' : probe.fast ? 'available, fast' : 'available, not fast';
    row('', `probe (${role}): ${verdict}: ${probe.reason}`);
    if (typeof backend !== 'string') for (const d of backend.diagnose?.() ?? []) row(`    ${d.label}`, d.value);
  }

  try {
    const auto = registry.autoDecision();
    row('auto', `${auto.backend}: ${auto.reason}`);
  } catch (e) {
    row('auto', `none: ${e instanceof Error ? e.message : String(e)}`);
  }

  const ref = registry.reference();
  const reference = ref === undefined ? undefined : ready.get(ref.name);
  for (const p of registry.list()) {
    if (p === ref) continue;
    const b = ready.get(p.name);
    if (b === undefined) row(`${p.name} check`, `skipped (no ${p.name} backend)`);
    else if (ref === undefined || reference === undefined) row(`${p.name} check`, 'skipped (no reference backend to compare with)');
    else agreementCheck(row, p.name, b, ref.name, reference);
  }
  return 0;
}

/** The backend, or why it cannot be created. */
function tryCreate(registry: BackendRegistry, name: string): Backend | string {
  try {
    return registry.instance(name);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Rows of one agreement check: `backend` vs `reference` on an n x n x n float32 matmul, with timings. */
function agreementCheck(row: (label: string, value: string) => void, name: string, backend: Backend,
  refName: string, reference: Backend): void {
  const n = CHECK_SIZE;
  const rng = createRng(20240607);
  const random = (): Float32Array => Float32Array.from({ length: n * n }, () => 2 * rng.nextFloat64() - 1);
  const a = random();
  const b = random();
  const tCold = performance.now();
  backend.matmul(a, b, n, n, n);
  const t0 = performance.now();
  const got = backend.matmul(a, b, n, n, n);
  const t1 = performance.now();
  const ref = reference.matmul(a, b, n, n, n);
  const t2 = performance.now();
  const r = agreement(got, ref, gemmErrorBound(a, b, null, n, n, n));
  row(`${name} check`, `${n}x${n} @ ${n}x${n} matmul, ${name} vs ${refName} (float32):`);
  row('', `max abs error ${r.maxAbs.toExponential(2)}, max rel error ${r.maxRel.toExponential(2)}`);
  row('', `worst |error| / bound = ${r.worstRatio.toFixed(3)}, bound (k+2)·eps32·(|A||B|)_ij`);
  row('', `time ${name} ${(t1 - t0).toFixed(0)} ms (first call, compiling or warming up: ${(t0 - tCold).toFixed(0)} ms), ${refName} ${(t2 - t1).toFixed(0)} ms`);
  const degraded = backend.degraded === true ? ` (but the ${name} backend degraded to its fallback kernels)` : '';
  row('verdict', `${r.ok ? 'AGREE within the float32 bound' : 'DISAGREE: beyond the float32 bound'}${degraded}`);
}
