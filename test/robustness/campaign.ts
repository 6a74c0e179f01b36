/**
 * The worker side of the robustness suite: drives each export it is given with generated arguments and reports
 * to the parent thread. Before every call it posts what it is about to call (so that the parent can name a call
 * that never returns, then terminate this worker); after it, any failure.
 *
 * Three kinds of call per export, all from fast-check samples with a seed derived from the export's id:
 * - junk: 0 to arity + 1 arguments drawn from junk.ts (every export, hint or not);
 * - valid: the hint's argument lists (kinds.ts says what in range means);
 * - broken: a valid list with one argument replaced by junk.
 * A call fails when it throws anything but an InitlabError, or (valid calls) returns a NaN or ±Infinity anywhere in
 * its result (numbers, typed arrays, arrays and object fields, recursively). Valid calls may throw an InitlabError,
 * but at least half of them must succeed (unless the hint says `env`), or the finiteness check would be vacuous.
 */
import { parentPort } from 'node:worker_threads';
import fc from 'fast-check';
import { InitlabError } from '../../src/core/errors.js';
import { exportedCallables, type ExportedCallable } from './exports.js';
import { HINTS, type Hint } from './hints.js';
import { junk } from './junk.js';

export const RUNS = { junk: 60, valid: 30, broken: 60 } as const;
export type Mode = keyof typeof RUNS;

export type ToParent =
  | { type: 'call'; id: string; mode: Mode; args: string }
  | { type: 'failure'; id: string; mode: Mode; what: string; args: string }
  | { type: 'exportDone'; id: string }
  | { type: 'allDone' };

export function hintFor(e: Pick<ExportedCallable, 'entry' | 'name'>): Hint | undefined {
  return HINTS[`${e.entry}#${e.name}`] ?? HINTS[e.name];
}

/** A stable 31-bit seed per export id (FNV-1a), so a new export does not change the samples of the others. */
function seedOf(id: string, base: number): number {
  let x = 0x811c9dc5 ^ base;
  for (let i = 0; i < id.length; i++) x = Math.imul(x ^ id.charCodeAt(i), 0x01000193);
  return (x >>> 0) & 0x7fffffff;
}

const MAX_ARGS_TEXT = 400;
function show(args: readonly unknown[]): string {
  let s: string;
  try {
    s = args.map((a) => fc.stringify(a)).join(', ');
  } catch {
    s = '(arguments not printable)';
  }
  return s.length > MAX_ARGS_TEXT ? `${s.slice(0, MAX_ARGS_TEXT)}…` : s;
}

/** Path to the first NaN/±Infinity inside `v`, or null. */
export function nonFinitePath(v: unknown, path = 'result', seen = new Set<unknown>(), depth = 0): string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? null : `${path} = ${v}`;
  if (v === null || typeof v !== 'object' || depth > 8 || seen.has(v)) return null;
  seen.add(v);
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const a = v as unknown as ArrayLike<number | bigint>;
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      if (typeof x === 'number' && !Number.isFinite(x)) return `${path}[${i}] = ${x}`;
    }
    return null;
  }
  const entries: [string, unknown][] = Array.isArray(v) ? v.map((x, i) => [`[${i}]`, x]) : Object.entries(v).map(([k, x]) => [`.${k}`, x]);
  if (v instanceof Map) for (const [k, x] of v) entries.push([`.get(${String(k)})`, x]);
  for (const [k, x] of entries) {
    const p = nonFinitePath(x, `${path}${k}`, seen, depth + 1);
    if (p !== null) return p;
  }
  return null;
}

function errorText(e: unknown): string {
  if (!(e instanceof Error)) return `threw a non-Error: ${fc.stringify(e)}`;
  const frame = (e.stack ?? '').split('\n').find((l) => l.includes('/src/'))?.trim() ?? '';
  return `${e.name}: ${e.message}${frame === '' ? '' : ` (${frame.replace(/^at /, 'at ').replace(/\(.*\/src\//, '(src/')})`}`;
}

function call(e: ExportedCallable, construct: boolean, args: unknown[]): unknown {
  return construct ? Reflect.construct(e.value, args) : e.value(...args);
}

function drive(e: ExportedCallable, post: (m: ToParent) => void, base: number): void {
  const hint = hintFor(e);
  const construct = hint?.construct ?? e.kind === 'class';
  const seed = seedOf(e.id, base);
  const failures = new Set<string>();
  const fail = (mode: Mode, what: string, args: string): void => {
    // One report per distinct error (its text without numbers, whatever the mode), at most 4 per export.
    const key = `${what.replace(/[-+0-9.e]+/g, '#').slice(0, 80)}`;
    if (failures.has(key) || failures.size >= 4) return;
    failures.add(key);
    post({ type: 'failure', id: e.id, mode, what, args });
  };
  /** A junk or broken call: only untyped errors (and hangs, seen by the parent) count. */
  const attempt = (mode: Mode, args: unknown[]): void => {
    const text = show(args);
    post({ type: 'call', id: e.id, mode, args: text });
    try {
      call(e, construct, args);
    } catch (err) {
      if (!(err instanceof InitlabError)) fail(mode, `untyped error ${errorText(err)}`, text);
    }
  };

  let arity = Math.max(1, e.value.length);
  if (hint !== undefined) {
    let ok = 0;
    let firstRejection = '';
    const valid = fc.sample(hint.args, { seed, numRuns: RUNS.valid });
    for (const args of valid) {
      arity = Math.max(arity, args.length);
      const text = show(args);
      post({ type: 'call', id: e.id, mode: 'valid', args: text });
      try {
        const result = call(e, construct, args);
        ok++;
        const bad = nonFinitePath(result);
        if (bad !== null) fail('valid', `non-finite output from in-range input: ${bad}`, text);
      } catch (err) {
        if (!(err instanceof InitlabError)) fail('valid', `untyped error ${errorText(err)}`, text);
        else if (firstRejection === '') firstRejection = `${errorText(err)} for (${text})`;
      }
    }
    if (hint.env !== true && ok < RUNS.valid / 2) {
      fail('valid', `only ${ok} of ${RUNS.valid} valid calls succeeded (fix the hint or the function); first rejection: ${firstRejection}`, '');
    }
    const broken = fc.sample(fc.tuple(hint.args, fc.nat(), junk), { seed: seed + 1, numRuns: RUNS.broken });
    for (const [args, i, j] of broken) {
      const copy = [...args];
      if (copy.length === 0) copy.push(j);
      else copy[i % copy.length] = j;
      attempt('broken', copy);
    }
  }
  const junkLists = fc.sample(fc.array(junk, { minLength: 0, maxLength: arity + 1 }), { seed: seed + 2, numRuns: RUNS.junk });
  for (const args of junkLists) attempt('junk', args);
}

/**
 * Exports that change process-wide state (the active backend, registries): driven after the others, in this order,
 * so that junk registered by one of them is not blamed on another export.
 */
const LAST = ['setBackend', 'BackendRegistry', 'registerInitializer', 'registerBackend'];
const rank = (id: string): number => LAST.indexOf(id.split('#')[1] ?? '') + 1;

if (parentPort !== null) {
  const port = parentPort;
  port.once('message', (msg: { ids: string[]; base: number }) => {
    void (async () => {
      const all = new Map((await exportedCallables()).map((e) => [e.id, e]));
      const ids = [...msg.ids].sort((a, b) => rank(a) - rank(b));
      for (const id of ids) {
        const e = all.get(id);
        if (e !== undefined) {
          try {
            drive(e, (m) => port.postMessage(m), msg.base);
          } catch (err) {
            port.postMessage({ type: 'failure', id, mode: 'valid', what: `the suite itself failed (argument generation?): ${errorText(err)}`, args: '' } satisfies ToParent);
          }
        }
        port.postMessage({ type: 'exportDone', id } satisfies ToParent);
      }
      port.postMessage({ type: 'allDone' } satisfies ToParent);
    })();
  });
}
