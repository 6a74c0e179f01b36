/** `initlab doctor`: the backends of the kernel registry, what 'auto' picks, and agreement with the reference. */
import { createRng } from '../init/support/rng.js';
import type { Backend } from '../kernels/backend.js';
import { agreement, gemmErrorBound } from '../kernels/agreement.js';
import { backends, safeProbe, type BackendRegistry } from '../kernels/registry.js';
import { jsonFlag } from './framework/common.js';
import { defineCommand } from './framework/command.js';

/** Size of the agreement check: big enough to exercise long float32 sums, quick even on llvmpipe. */
const CHECK_SIZE = 256;

/** Width of the label column. */
const LABEL = 20;

/** One backend as doctor sees it. */
export interface DoctorBackend {
  readonly name: string;
  readonly priority: number;
  readonly reference: boolean;
  readonly probe: { readonly available: boolean; readonly fast: boolean; readonly reason: string };
  /** `describe()` of the created backend, or null when it could not be created (then `error` says why). */
  readonly created: string | null;
  readonly error: string | null;
  readonly diagnostics: readonly { readonly label: string; readonly value: string }[];
}

/** The agreement check of one non-reference backend (null fields: skipped, `skipped` says why). */
export interface DoctorCheck {
  readonly backend: string;
  readonly reference: string | null;
  readonly skipped: string | null;
  readonly size: number;
  readonly maxAbs: number | null;
  readonly maxRel: number | null;
  /** Worst |error| / bound, bound (k+2)·eps32·(|A||B|)_ij. */
  readonly worstRatio: number | null;
  readonly agree: boolean | null;
  readonly degraded: boolean;
  readonly ms: { readonly first: number; readonly backend: number; readonly reference: number } | null;
}

/** What `initlab doctor --json` prints. */
export interface DoctorReport {
  readonly node: string;
  readonly platform: string;
  readonly display: string | null;
  /** The names `--backend` accepts ('auto' first). */
  readonly names: readonly string[];
  readonly backends: readonly DoctorBackend[];
  readonly auto: { readonly backend: string | null; readonly reason: string };
  readonly checks: readonly DoctorCheck[];
}

/**
 * Every backend of `registry` (its probe, whether it can be created, its own diagnostic rows), what 'auto' picks
 * and why, and whether each non-reference backend agrees with the reference backend on a 256² float32 matmul.
 * Names no backend: everything comes from the registry.
 */
export function doctorReport(registry: BackendRegistry = backends): DoctorReport {
  const ready = new Map<string, Backend>();
  const list: DoctorBackend[] = registry.list().map((p) => {
    const probe = safeProbe(p);
    const backend = probe.available ? tryCreate(registry, p.name) : probe.reason;
    if (typeof backend !== 'string') ready.set(p.name, backend);
    return {
      name: p.name,
      priority: p.priority,
      reference: p.reference === true,
      probe: { available: probe.available, fast: probe.fast, reason: probe.reason },
      created: typeof backend === 'string' ? null : backend.describe(),
      error: typeof backend === 'string' ? backend : null,
      diagnostics: typeof backend === 'string' ? [] : [...(backend.diagnose?.() ?? [])],
    };
  });
  let auto: DoctorReport['auto'];
  try {
    const forced = registry.forcedName();
    const d = forced === null ? registry.autoDecision() : { backend: forced, reason: `INITLAB_BACKEND=${forced} overrides the probes` };
    auto = { backend: d.backend, reason: d.reason };
  } catch (e) {
    auto = { backend: null, reason: e instanceof Error ? e.message : String(e) };
  }
  const ref = registry.reference();
  const reference = ref === undefined ? undefined : ready.get(ref.name);
  const checks: DoctorCheck[] = [];
  for (const p of registry.list()) {
    if (p === ref) continue;
    const b = ready.get(p.name);
    const skip = (why: string): DoctorCheck => ({
      backend: p.name, reference: ref?.name ?? null, skipped: why, size: CHECK_SIZE, maxAbs: null, maxRel: null, worstRatio: null, agree: null, degraded: false, ms: null,
    });
    if (b === undefined) checks.push(skip(`no ${p.name} backend`));
    else if (ref === undefined || reference === undefined) checks.push(skip('no reference backend to compare with'));
    else checks.push(agreementCheck(p.name, b, ref.name, reference));
  }
  return { node: process.version, platform: `${process.platform} ${process.arch}`, display: process.env.DISPLAY ?? null, names: registry.names(), backends: list, auto, checks };
}

/** The human-readable lines of a doctor report. */
export function doctorLines(r: DoctorReport): string[] {
  const lines: string[] = [];
  const row = (label: string, value: string): void => void lines.push(`  ${label.padEnd(LABEL)}${value}`);
  lines.push('initlab doctor');
  row('node', `${r.node} (${r.platform})`);
  row('DISPLAY', r.display ?? '(unset)');
  row('backends', r.names.join(', '));
  for (const b of r.backends) {
    row(`  ${b.name}`, b.created !== null ? `available: ${b.created}` : `unavailable: ${b.error ?? ''}`);
    const role = [b.reference ? 'reference' : null, `priority ${b.priority}`].filter((s) => s !== null).join(', ');
    const verdict = !b.probe.available ? 'unavailable' : b.probe.fast ? 'available, fast' : 'available, not fast';
    row('', `probe (${role}): ${verdict}: ${b.probe.reason}`);
    for (const d of b.diagnostics) row(`    ${d.label}`, d.value);
  }
  row('auto', r.auto.backend !== null ? `${r.auto.backend}: ${r.auto.reason}` : `none: ${r.auto.reason}`);
  for (const c of r.checks) {
    const name = c.backend;
    if (c.skipped !== null || c.ms === null) {
      row(`${name} check`, `skipped (${c.skipped ?? ''})`);
      continue;
    }
    const refName = c.reference ?? '';
    row(`${name} check`, `${c.size}x${c.size} @ ${c.size}x${c.size} matmul, ${name} vs ${refName} (float32):`);
    row('', `max abs error ${(c.maxAbs ?? NaN).toExponential(2)}, max rel error ${(c.maxRel ?? NaN).toExponential(2)}`);
    row('', `worst |error| / bound = ${(c.worstRatio ?? NaN).toFixed(3)}, bound (k+2)·eps32·(|A||B|)_ij`);
    row('', `time ${name} ${c.ms.backend.toFixed(0)} ms (first call, compiling or warming up: ${c.ms.first.toFixed(0)} ms), ${refName} ${c.ms.reference.toFixed(0)} ms`);
    const degraded = c.degraded ? ` (but the ${name} backend degraded to its fallback kernels)` : '';
    row('verdict', `${c.agree === true ? 'AGREE within the float32 bound' : 'DISAGREE: beyond the float32 bound'}${degraded}`);
  }
  return lines;
}

/**
 * `initlab doctor` as text: writes the lines of `doctorReport(registry)` through `write` and returns the exit code,
 * 0: a missing backend is a finding, not a failure.
 */
export function doctor(
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  registry: BackendRegistry = backends,
): number {
  for (const line of doctorLines(doctorReport(registry))) write(line);
  return 0;
}

/** The table entry of `initlab doctor`. */
export const doctorCommand = defineCommand({
  name: 'doctor',
  summary: "every backend (probe, diagnostics), what 'auto' picks and why, agreement with the reference",
  description:
    "Each backend's agreement with the reference backend is checked on a 256x256 float32 matmul. Exits 0: a missing\n" +
    'backend is a finding, not a failure.',
  flags: { json: jsonFlag() },
  run: (flags, { io }) => {
    const report = doctorReport();
    io.out(flags.json ? `${JSON.stringify(report, null, 1)}\n` : `${doctorLines(report).join('\n')}\n`);
    return 0;
  },
});

/** The backend, or why it cannot be created. */
function tryCreate(registry: BackendRegistry, name: string): Backend | string {
  try {
    return registry.instance(name);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** The agreement check of `backend` vs `reference` on an n x n x n float32 matmul, with timings. */
function agreementCheck(name: string, backend: Backend, refName: string, reference: Backend): DoctorCheck {
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
  return {
    backend: name, reference: refName, skipped: null, size: n, maxAbs: r.maxAbs, maxRel: r.maxRel, worstRatio: r.worstRatio,
    agree: r.ok, degraded: backend.degraded === true, ms: { first: t0 - tCold, backend: t1 - t0, reference: t2 - t1 },
  };
}
