/**
 * Robustness of the public API (issue 11): every exported function and class of 'initlab', 'initlab/init' and
 * 'initlab/nn', read off the entry points at run time, is called with junk, valid and half-broken arguments
 * (campaign.ts, junk.ts, kinds.ts, hints.ts). A call fails the export's test when it throws anything but an
 * InitlabError, returns NaN/±Infinity from in-range input, or does not return within CALL_LIMIT_MS (or the export's
 * hint's `limitMs`, for the few exports whose default work is large by design).
 *
 * The calls run in worker threads, so a call that never returns cannot hang mocha: this thread watches the
 * "about to call" messages, terminates a worker whose call overruns, records the hang with its arguments and
 * resumes with a fresh worker at the next export. Samples come from fast-check with a fixed seed (SEED).
 */
import { expect } from 'chai';
import { Worker } from 'node:worker_threads';
import { exportedCallables } from './exports.js';
import { hintFor, RUNS, type Mode, type ToParent } from './campaign.js';

const SEED = 20261129;
/** Longest a single call may take (generous: two workers share two cores with mocha); a hint may raise it (`limitMs`). */
const CALL_LIMIT_MS = 2000;
const WORKERS = 2;

interface Failure { mode: Mode; what: string; args: string }

const callables = await exportedCallables();
/** The time limit of one call per export id: the hint's `limitMs` where it has one, else CALL_LIMIT_MS. */
const limits = new Map(callables.map((e) => [e.id, hintFor(e)?.limitMs ?? CALL_LIMIT_MS]));

/** Drive `ids` in one worker after another (a fresh one after each hang or crash); failures by export id. */
function campaign(ids: readonly string[], failures: Map<string, Failure[]>): Promise<void> {
  const record = (id: string, f: Failure): void => {
    failures.set(id, [...(failures.get(id) ?? []), f]);
  };
  return new Promise((resolve) => {
    let pending = [...ids];
    const start = (): void => {
      if (pending.length === 0) {
        resolve();
        return;
      }
      const worker = new Worker(new URL('./worker.mjs', import.meta.url));
      let current: { id: string; mode: Mode; args: string; since: number } | null = null;
      let finished = false;
      const end = (why: string | null): void => {
        if (finished) return;
        finished = true;
        clearInterval(watchdog);
        if (why !== null && current !== null) {
          record(current.id, { mode: current.mode, what: why, args: current.args });
          pending = pending.filter((id) => id !== current?.id);
        } else if (why !== null) {
          record(pending[0] ?? '(worker)', { mode: 'junk', what: why, args: '' });
          pending = pending.slice(1);
        }
        void worker.terminate().then(start);
      };
      const watchdog = setInterval(() => {
        const limit = current === null ? CALL_LIMIT_MS : (limits.get(current.id) ?? CALL_LIMIT_MS);
        if (current !== null && Date.now() - current.since > limit) end(`no return within ${limit} ms (hang or far too slow)`);
      }, 100);
      worker.on('message', (m: ToParent) => {
        if (m.type === 'call') current = { id: m.id, mode: m.mode, args: m.args, since: Date.now() };
        else if (m.type === 'failure') record(m.id, { mode: m.mode, what: m.what, args: m.args });
        else if (m.type === 'exportDone') {
          current = null;
          pending = pending.filter((id) => id !== m.id);
        } else {
          pending = [];
          end(null);
        }
      });
      worker.on('error', (e) => end(`worker crashed: ${e.name}: ${e.message}`));
      worker.on('exit', (code) => end(`worker exited with code ${code}`));
      worker.postMessage({ ids: pending, base: SEED });
    };
    start();
  });
}

describe('robustness: every export of initlab, initlab/init, initlab/nn (junk, valid and half-broken arguments)', function () {
  const failures = new Map<string, Failure[]>();
  before(async function () {
    this.timeout(600_000);
    const ids = callables.map((e) => e.id);
    // Interleaved split so that both workers get a mix of cheap and costly exports.
    await Promise.all(Array.from({ length: WORKERS }, (_, w) => campaign(ids.filter((_, i) => i % WORKERS === w), failures)));
  });

  it(`finds the exports (functions and classes) of the three entry points: ${callables.length}`, () => {
    expect(callables.length).to.be.greaterThan(200);
  });

  it('every exported function and class has an argument hint (test/robustness/hints.ts)', () => {
    const missing = callables.filter((e) => hintFor(e) === undefined).map((e) => `no hint for export ${e.id}`);
    expect(missing, missing.join('\n')).to.deep.equal([]);
  });

  for (const e of callables) {
    it(`${e.id}: typed errors only, no hang, finite output (${RUNS.junk} junk, ${hintFor(e) === undefined ? 0 : RUNS.valid} valid, ${hintFor(e) === undefined ? 0 : RUNS.broken} broken calls)`, () => {
      const fs = failures.get(e.id) ?? [];
      const text = fs.map((f) => `${e.id} [${f.mode}] ${f.what}${f.args === '' ? '' : `\n      arguments: (${f.args})`}`).join('\n');
      if (fs.length > 0) expect.fail(`${fs.length} failure(s):\n${text}\n`);
    });
  }
});
