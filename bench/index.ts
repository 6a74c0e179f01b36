/**
 * `npm run bench` (or `npm run bench -- --quick`): initlab's kernels against peer libraries, with benny.
 *
 * Writes one benny JSON per suite under bench/results/ and bench/results/summary.json with, per case,
 * ops/s, GFLOPS (2 m k n ops/s / 1e9) and the ratio to initlab's CPU kernel, plus the machine and its
 * load average (timings on a shared machine are only comparable at similar load).
 */
import { execFileSync, execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { CpuBackend } from '../src/kernels/cpu/backend.js';
import { GpuBackend, type MlpLayer } from '../src/kernels/gpu/index.js';
import { WasmBackend } from '../src/kernels/wasm/index.js';
import {
  backendContender,
  INITLAB_CPU,
  initlabCpu,
  mlMatrixContender,
  ndarrayGemmContender,
  plainLoop,
  initTfjsWasm,
  resultValues,
  tfjsContender,
  type Contender,
} from './contenders.js';
import { BATCH, initlabStep, stepFlops, tfjsStep, WIDTHS, type Step } from './training.js';
import { getBackend, registerBackend, setBackend } from '../src/kernels/registry.js';
import { CASE_OPTIONS, quick, RESULTS, rows, runSuite, type SuiteRow, type Unavailable } from './suite.js';


interface MatmulCase {
  label: string;
  m: number;
  k: number;
  n: number;
}

const MATMUL_CASES: MatmulCase[] = (
  quick
    ? [[128, 128, 128], [256, 256, 256], [128, 784, 256]]
    : [[128, 128, 128], [256, 256, 256], [512, 512, 512], [1024, 1024, 1024], [128, 784, 256]]
).map(([m, k, n]) => ({ label: m === k && k === n ? `${m}` : `${m}x${k}x${n}`, m, k, n }));
const RELU_SIZE = 1 << 20;

/** Whole-MLP forward passes: batch and layer widths (input first), ReLU between layers, biases everywhere. */
interface MlpCase {
  label: string;
  batch: number;
  widths: number[];
}

const MLP_CASES: MlpCase[] = (
  quick
    ? [{ batch: 128, widths: [784, 256, 256, 256, 10] }, { batch: 32, widths: [64, 64, 64, 64, 64, 64, 64, 64, 64] }]
    : [
        { batch: 128, widths: [784, 256, 256, 256, 10] },
        { batch: 256, widths: [256, 256, 256, 256, 256, 256, 256, 256, 256] },
        { batch: 32, widths: [64, 64, 64, 64, 64, 64, 64, 64, 64] },
      ]
).map((c) => ({ ...c, label: `batch ${c.batch}, widths ${c.widths.join('-')}` }));

/** Deterministic inputs in [-1, 1) (an LCG; only reproducibility matters here). */
function randomArray(len: number, seed: number): Float32Array {
  const out = new Float32Array(len);
  let s = seed >>> 0;
  for (let i = 0; i < len; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Extra backends from initlab's registry (e.g. 'gpu'), each created in a try/catch and smoke-tested. */
async function registryContenders(): Promise<{ usable: Contender[]; unavailable: Unavailable[] }> {
  const usable: Contender[] = [];
  const unavailable: Unavailable[] = [];
  let registry: typeof import('../src/kernels/registry.js');
  try {
    registry = await import('../src/kernels/registry.js');
  } catch (e) {
    return { usable, unavailable: [{ name: 'registry', reason: `import failed: ${message(e)}` }] };
  }
  for (const name of registry.listBackends()) {
    if (name === 'auto' || name === 'cpu') continue;
    try {
      const backend = registry.backendInstance(name);
      // Creation can be lazy; one tiny product proves the backend actually runs here.
      backend.matmul(new Float32Array([1, 2]), new Float32Array([3, 4]), 1, 2, 1);
      usable.push(backendContender(`initlab-${name}`, backend));
    } catch (e) {
      unavailable.push({ name: `initlab-${name}`, reason: message(e) });
    }
  }
  return { usable, unavailable };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Compare a contender's product with initlab's on a small odd-sized problem, so that a broken or
 * misused peer is reported rather than timed. Returns 'ok' or what went wrong.
 */
function sanityCheck(c: Contender): string {
  if (c.matmul === undefined) return 'no matmul';
  const [m, k, n] = [37, 53, 29];
  const x = randomArray(m * k, 1);
  const y = randomArray(k * n, 2);
  try {
    const want = resultValues(initlabCpu.matmul!(x, y, m, k, n)());
    const got = resultValues(c.matmul(x, y, m, k, n)());
    let worst = 0;
    for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    // float32 products of 53 terms in [-1, 1): anything beyond 1e-3 is a wrong answer, not rounding.
    return worst <= 1e-3 ? 'ok' : `max |difference| ${worst} vs initlab-cpu`;
  } catch (e) {
    return `threw: ${message(e)}`;
  }
}

/**
 * GpuBackend.mlpForward (activations stay in textures, one read-back) against the same forward as per-layer
 * `linear` calls on the gpu backend (a read-back and an upload between layers), with the CPU kernels' per-layer
 * forward as the baseline. Skipped, with the reason, when no WebGL context exists.
 */
async function mlpSuites(unavailable: Unavailable[]): Promise<SuiteRow[]> {
  let gpu: GpuBackend;
  try {
    gpu = new GpuBackend();
  } catch (e) {
    unavailable.push({ name: 'gpu mlpForward suites', reason: message(e) });
    return [];
  }
  const cpu = new CpuBackend();
  const suites: SuiteRow[] = [];
  for (const [ci, mc] of MLP_CASES.entries()) {
    const m = mc.batch;
    const x = randomArray(m * mc.widths[0], 21 + ci);
    const layers: MlpLayer[] = mc.widths.slice(1).map((out, i) => ({
      w: randomArray(mc.widths[i] * out, 100 * ci + i).map((v) => v / Math.sqrt(mc.widths[i])),
      bias: randomArray(out, 200 * ci + i),
      inFeatures: mc.widths[i],
      outFeatures: out,
      relu: i < mc.widths.length - 2,
    }));
    const perLayer = (b: CpuBackend | GpuBackend) => (): unknown => {
      let h = x as Float32Array;
      for (const l of layers) h = b.linear(h, l.w, l.bias, m, l.inFeatures, l.outFeatures, l) as Float32Array;
      return h;
    };
    const whole = (): unknown => gpu.mlpForward(x, m, layers);
    // Same kernels in the same order: the two GPU paths must agree bit for bit, or the timing means nothing.
    const a = resultValues(whole());
    const b = resultValues(perLayer(gpu)());
    if (a.length !== b.length || Array.from(a).some((v, i) => v !== b[i]) || gpu.degraded) {
      unavailable.push({ name: `gpu mlpForward ${mc.label}`, reason: `mlpForward differs from per-layer linear (degraded: ${gpu.degraded})` });
      continue;
    }
    const closures = new Map<string, () => unknown>([
      [INITLAB_CPU, perLayer(cpu)],
      ['initlab-gpu-linear-per-layer', perLayer(gpu)],
      ['initlab-gpu-mlpForward', whole],
    ]);
    const contenders: Contender[] = [...closures.keys()].map((name) => ({ name, describe: name }));
    const file = `mlp-forward-${ci}`;
    const summary = await runSuite(`mlp forward float32 ${mc.label}`, file, contenders, (c) => closures.get(c.name));
    const flops = layers.reduce((f, l) => f + 2 * m * l.inFeatures * l.outFeatures, 0);
    suites.push({ suite: summary.name, file: `${file}.json`, shape: { batch: m, widths: mc.widths }, cases: rows(summary, flops, null) });
  }
  gpu.dispose();
  return suites;
}

/**
 * One SGD step of MLP 784-256-256-10 at batch 128 (bench/training.ts): initlab's tensor ops on the default
 * backend ('auto'), on the wasm kernels with one thread and on the CPU kernels, TF.js on its cpu and wasm backends. A contender whose first-step loss
 * differs from initlab-cpu's by more than 1e-4 (float32 rounding across ~200k-term sums stays far below) is
 * reported instead of timed.
 */
async function trainingSuite(unavailable: Unavailable[], tfjsWasm: boolean): Promise<SuiteRow[]> {
  const auto = `initlab-auto (${backendInstanceName()})`;
  registerBackend('wasm-1thread', () => new WasmBackend({ threads: 1 }));
  const steps = new Map<string, Step>([
    [INITLAB_CPU, initlabStep('cpu')],
    [auto, initlabStep('auto')],
    ['initlab-wasm-1thread', initlabStep('wasm-1thread')],
    ['tfjs-backend-cpu', tfjsStep('cpu')],
  ]);
  if (tfjsWasm) steps.set('tfjs-backend-wasm', tfjsStep('wasm'));
  const losses = new Map([...steps].map(([name, step]) => [name, step.run()]));
  const want = losses.get(INITLAB_CPU) ?? Number.NaN;
  const closures = new Map<string, () => unknown>();
  for (const [name, step] of steps) {
    const loss = losses.get(name) ?? Number.NaN;
    if (Math.abs(loss - want) <= 1e-4) closures.set(name, step.run);
    else unavailable.push({ name: `training step ${name}`, reason: `first-step loss ${loss} differs from initlab-cpu's ${want}` });
  }
  const contenders: Contender[] = [...closures.keys()].map((name) => ({ name, describe: name }));
  const label = `sgd step float32 batch ${BATCH}, widths ${WIDTHS.join('-')}`;
  const summary = await runSuite(label, 'train-step', contenders, (c) => closures.get(c.name));
  const cases = rows(summary, stepFlops(), null);
  return [{ suite: summary.name, file: 'train-step.json', shape: { batch: BATCH, widths: WIDTHS }, cases, firstStepLoss: Object.fromEntries(losses) }];
}

/** Name of the backend 'auto' resolves to here. */
function backendInstanceName(): string {
  setBackend('auto');
  return getBackend().name;
}

const INITLAB_WASM_1T = 'initlab-wasm-1thread';

/** initlab-wasm on one thread / tfjs-backend-wasm (one thread), ops/s per suite (the target: >= 0.8 at 1024^2). */
function wasmVsTfjsWasm(suites: SuiteRow[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of suites) {
    const mine = s.cases.find((c) => c.name === INITLAB_WASM_1T);
    const peer = s.cases.find((c) => c.name === 'tfjs-backend-wasm');
    if (mine !== undefined && peer !== undefined) out[s.suite] = mine.opsPerSec / peer.opsPerSec;
  }
  return out;
}

function machine(): Record<string, unknown> {
  let commit: string | null = null;
  try {
    commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    // Not a git checkout: the commit is optional context.
  }
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpuCount: cpus.length,
    totalMemGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    commit,
  };
}

/**
 * GFLOPS of initlab's CPU matmul per case from a child process that never loads benny/lodash (see
 * bench/standalone.ts); null when the child cannot run.
 */
function standaloneGflops(cases: MatmulCase[]): Record<string, number> | null {
  const script = fileURLToPath(new URL('./standalone.ts', import.meta.url));
  const shapes = JSON.stringify(cases.map((c) => [c.m, c.k, c.n]));
  try {
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', script, shapes], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return JSON.parse(stdout.trim().split('\n').pop() ?? 'null') as Record<string, number>;
  } catch {
    return null;
  }
}

function printTable(suites: SuiteRow[]): void {
  const lines = [
    ['suite', 'contender', 'ops/s', '±%', 'GFLOPS', 'Gelem/s', 'x initlab-cpu'],
    ...suites.flatMap((s) =>
      s.cases.map((c) => [
        s.suite,
        c.name,
        c.opsPerSec.toPrecision(4),
        c.marginPct.toFixed(1),
        c.gflops === null ? '' : c.gflops.toFixed(2),
        c.gelemPerSec === null ? '' : c.gelemPerSec.toFixed(3),
        c.ratioVsInitlabCpu === null ? '' : c.ratioVsInitlabCpu.toFixed(2),
      ]),
    ),
  ];
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  for (const l of lines) console.log(l.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
}

async function main(): Promise<void> {
  mkdirSync(RESULTS, { recursive: true });
  const loadBefore = os.loadavg();
  const started = new Date();
  // First, so the child does not compete with this process's own runs for the CPU.
  const standalone = standaloneGflops(MATMUL_CASES);
  const extra = await registryContenders();
  const tfjsWasm = await initTfjsWasm()
    .then((detail) => [tfjsContender('wasm', detail)])
    .catch((e: unknown) => (extra.unavailable.push({ name: 'tfjs-backend-wasm', reason: message(e) }), []));
  // The wasm backend on one thread, for the comparison with tfjs-backend-wasm (one thread in Node).
  const wasm1 = extra.usable.some((c) => c.name === 'initlab-wasm') ? [backendContender(INITLAB_WASM_1T, new WasmBackend({ threads: 1 }))] : [];
  const all: Contender[] = [initlabCpu, plainLoop, tfjsContender('cpu'), ...tfjsWasm, ndarrayGemmContender, mlMatrixContender, ...extra.usable, ...wasm1];
  const checks = Object.fromEntries(all.filter((c) => c.matmul !== undefined).map((c) => [c.name, sanityCheck(c)]));
  const timed = all.filter((c) => c.matmul === undefined || checks[c.name] === 'ok' || c.relu !== undefined);

  const suites: SuiteRow[] = [];
  for (const mc of MATMUL_CASES) {
    const a = randomArray(mc.m * mc.k, 11);
    const w = randomArray(mc.k * mc.n, 12);
    const file = `matmul-${mc.label}`;
    const matmulOk = timed.filter((c) => checks[c.name] === 'ok');
    const summary = await runSuite(`matmul float32 ${mc.label}`, file, matmulOk, (c) => c.matmul?.(a, w, mc.m, mc.k, mc.n));
    suites.push({ suite: summary.name, file: `${file}.json`, shape: { m: mc.m, k: mc.k, n: mc.n }, cases: rows(summary, 2 * mc.m * mc.k * mc.n, null) });
  }
  const x = randomArray(RELU_SIZE, 13);
  const reluSummary = await runSuite('relu float32 1M', 'relu-1M', timed, (c) => c.relu?.(x));
  suites.push({ suite: reluSummary.name, file: 'relu-1M.json', shape: { length: RELU_SIZE }, cases: rows(reluSummary, null, RELU_SIZE) });
  suites.push(...(await mlpSuites(extra.unavailable)));
  suites.push(...(await trainingSuite(extra.unavailable, tfjsWasm.length > 0)));
  const wasmRatios = wasmVsTfjsWasm(suites);

  const summary = {
    date: started.toISOString(),
    mode: quick ? 'quick' : 'full',
    machine: machine(),
    loadAverage: { before: loadBefore, after: os.loadavg(), note: '1, 5 and 15 minute load averages (os.loadavg())' },
    caseOptions: CASE_OPTIONS,
    contenders: all.map((c) => ({ name: c.name, describe: c.describe, matmulCheck: checks[c.name] ?? 'no matmul' })),
    unavailable: extra.unavailable,
    initlabCpuStandaloneGflops: {
      note: 'initlab-cpu matmul timed by a plain loop in a child process that never loaded benny/lodash (bench/standalone.ts); the in-process benny numbers below are lower because loading the benny dependencies slows this code (see bench/standalone.ts)',
      byShape: standalone,
    },
    initlabWasmVsTfjsWasm: { note: 'ops/s of initlab-wasm on one thread over tfjs-backend-wasm (SIMD, one thread), same run', bySuite: wasmRatios },
    suites,
  };
  writeFileSync(`${RESULTS}summary.json`, `${JSON.stringify(summary, null, 2)}\n`);

  console.log('');
  printTable(suites);
  if (standalone !== null) {
    const cells = Object.entries(standalone).map(([shape, g]) => `${shape} ${g.toFixed(2)}`);
    console.log(`initlab-cpu GFLOPS in a process without benny/lodash: ${cells.join(', ')}`);
  }
  for (const [suite, r] of Object.entries(wasmRatios)) console.log(`${INITLAB_WASM_1T} / tfjs-backend-wasm, ${suite}: ${r.toFixed(2)}`);
  for (const u of extra.unavailable) console.log(`unavailable: ${u.name}: ${u.reason}`);
  for (const [name, check] of Object.entries(checks)) if (check !== 'ok') console.log(`not timed (matmul): ${name}: ${check}`);
  console.log(`load average before ${loadBefore.map((v) => v.toFixed(2)).join(' ')}, after ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  console.log(`results in ${RESULTS}`);
}

await main();
