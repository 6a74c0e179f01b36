/**
 * The playground page: wires the forms to the study (./study.ts), the training run (./train.ts) and the backend
 * checks (./checks.ts), and draws the plots (./plots.ts). Every failure, a typed initlab error included, is shown in
 * the page's error box (never a blank page); `window.playground` exposes the results for the browser test.
 */
import { listInitializers, setBackend } from '../../src/browser.js';
import { backendInfo, gpuAgreement, type AgreementResult, type BackendInfo } from './checks.js';
import { ACTIVATIONS, BACKENDS, readStudy, readTrain } from './params.js';
import { appendRows, lineSpec, renderPlot } from './plots.js';
import { runStudy, type StudyResult } from './study.js';
import { loadSubset, train, type MnistSubset, type TrainResult } from './train.js';

/** What the page has computed so far (read by test/web/playground.test.ts). */
export interface PlaygroundState {
  study: StudyResult | null;
  training: TrainResult | null;
  agreement: AgreementResult | null;
  backend: BackendInfo | null;
  errors: string[];
  busy: number;
}

const state: PlaygroundState = { study: null, training: null, agreement: null, backend: null, errors: [], busy: 0 };
(window as unknown as { playground: PlaygroundState }).playground = state;

const DEFAULT_SCHEMES = ['lecun_normal', 'xavier_normal', 'kaiming_normal', 'fractional', 'meanfield'];

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`the page has no #${id}`);
  return el as T;
}

/** Show an error in the page: the typed error's name and message, as the library wrote them. */
function showError(e: unknown): void {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  state.errors.push(text);
  const box = byId('error');
  box.textContent = text;
  box.hidden = false;
}

function clearError(): void {
  byId('error').hidden = true;
}

/** Run `job` with its button disabled and its status line kept current; errors go to the error box. */
async function task(button: string, status: string, job: (say: (s: string) => void) => Promise<void>): Promise<void> {
  const b = byId<HTMLButtonElement>(button);
  const say = (s: string): void => {
    byId(status).textContent = s;
  };
  b.disabled = true;
  state.busy++;
  clearError();
  try {
    await job(say);
  } catch (e) {
    say('failed');
    showError(e);
  } finally {
    b.disabled = false;
    state.busy--;
  }
}

function option(select: HTMLSelectElement, value: string, selected: boolean): void {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = value;
  o.selected = selected;
  select.append(o);
}

function fillForms(): void {
  const names = listInitializers().map((e) => e.name);
  const box = byId('schemes');
  const trainSchemes = document.querySelector<HTMLSelectElement>('select[name=trainScheme]');
  for (const name of names) {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.name = 'scheme';
    input.value = name;
    input.checked = DEFAULT_SCHEMES.includes(name);
    label.append(input, ` ${name}`);
    box.append(label);
    if (trainSchemes !== null) option(trainSchemes, name, name === 'kaiming_normal');
  }
  for (const a of ACTIVATIONS) option(document.querySelector<HTMLSelectElement>('select[name=activation]')!, a, a === 'relu');
  for (const b of BACKENDS) option(document.querySelector<HTMLSelectElement>('select[name=backend]')!, b, b === 'auto');
}

function showBackend(): void {
  const info = backendInfo();
  state.backend = info;
  const rows: [string, string][] = [
    ['active', `${info.active}: ${info.describe}`],
    ['auto picks', `${info.auto} (${info.autoReason})`],
    ['WebGL renderer', info.software === null ? info.renderer : `${info.renderer}${info.software ? ' (software)' : ' (hardware)'}`],
  ];
  const dl = byId('backend-info');
  dl.replaceChildren(...rows.flatMap(([k, v]) => {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    return [dt, dd];
  }));
}

async function study(): Promise<void> {
  await task('run-study', 'study-status', async (say) => {
    const p = readStudy(byId<HTMLFormElement>('study'));
    setBackend(p.backend);
    say('running…');
    await new Promise((r) => setTimeout(r, 0));
    const r = runStudy(p);
    state.study = r;
    showBackend();
    const failures = byId('failures');
    failures.replaceChildren(...r.failures.map((f) => Object.assign(document.createElement('li'), { textContent: `${f.scheme}: ${f.error}` })));
    const rows = r.rows.map((x) => ({ ...x }));
    await Promise.all([
      renderPlot(byId('plot-moment'), lineSpec('Second moment E[h_l²] per layer', 'layer', 'secondMoment', { color: 'scheme', logY: true, yTitle: 'E[h²]' }), rows),
      renderPlot(byId('plot-smoment'), lineSpec(`s-moment E‖h_l‖^s / E‖h_0‖^s (s = ${p.s})`, 'layer', 'sMoment', { color: 'scheme', logY: true, yTitle: 'ratio' }), rows),
      renderPlot(byId('plot-dead'), lineSpec('Dead units per layer', 'layer', 'dead', { color: 'scheme', yTitle: 'fraction dead' }), rows.filter((x) => x.dead !== null)),
      renderPlot(byId('plot-gamma'), lineSpec(p.activation === 'relu' ? 'γ_l per weight layer (scaling calculus)' : 'γ_l: for ReLU nets only', 'layer', 'gamma', { color: 'scheme', logY: true, yTitle: 'γ' }), r.gammas.map((g) => ({ ...g }))),
    ]);
    say(`${r.rows.length} layer measurements in ${r.millis.toFixed(0)} ms on ${state.backend?.active ?? '?'}`);
  });
}

let subset: Promise<MnistSubset> | null = null;

async function training(): Promise<void> {
  await task('run-train', 'train-status', async (say) => {
    const p = readTrain(byId<HTMLFormElement>('train'));
    const s = readStudy(byId<HTMLFormElement>('study'));
    setBackend(s.backend);
    say('loading MNIST subset…');
    subset ??= loadSubset(new URL('./', document.baseURI));
    const data = await subset.catch((e: unknown) => {
      subset = null;
      throw e;
    });
    const el = byId('plot-loss');
    const view = await renderPlot(el, lineSpec('Training loss (cross-entropy per step)', 'step', 'loss', { yTitle: 'loss' }), []);
    const r = await train(data, p, s, async (points) => {
      say(`step ${points[points.length - 1]?.step ?? 0} / ${p.steps}`);
      await appendRows(el, view, points.map((x) => ({ ...x })));
    });
    state.training = r;
    showBackend();
    const last = r.points.slice(-10);
    const mean = last.reduce((a, x) => a + x.loss, 0) / last.length;
    say(`${p.steps} steps in ${(r.millis / 1000).toFixed(1)} s on ${state.backend?.active ?? '?'}: loss ${r.points[0]?.loss.toFixed(3)} → ${mean.toFixed(3)} (mean of last ${last.length}), test accuracy ${(100 * r.testAccuracy).toFixed(1)}%`);
  });
}

async function agreementCheck(): Promise<void> {
  await task('run-agreement', 'agreement-status', async (say) => {
    say('multiplying on WebGL and on the CPU…');
    await new Promise((r) => setTimeout(r, 0));
    const r = gpuAgreement(6, 20261129);
    state.agreement = r;
    const head = '<tr><th>m</th><th>k</th><th>n</th><th>max |gpu − cpu|</th><th>/ float32 bound</th><th>ok</th></tr>';
    byId('agreement').innerHTML = head + r.trials
      .map((t) => `<tr><td>${t.m}</td><td>${t.k}</td><td>${t.n}</td><td>${t.maxAbs.toExponential(2)}</td><td>${t.worstRatio.toFixed(3)}</td><td>${t.ok ? '✓' : '✗'}</td></tr>`)
      .join('');
    say(`${r.ok ? 'agree' : 'DISAGREE'}: ${r.gpuMatmuls} matmuls on WebGL (${r.renderer}) in ${r.millis.toFixed(0)} ms${r.degraded ? ', DEGRADED to the CPU' : ''}`);
  });
}

window.addEventListener('error', (e) => showError(e.error ?? e.message));
window.addEventListener('unhandledrejection', (e) => showError(e.reason));

try {
  fillForms();
  byId<HTMLFormElement>('study').addEventListener('submit', (e) => {
    e.preventDefault();
    void study();
  });
  byId<HTMLFormElement>('train').addEventListener('submit', (e) => {
    e.preventDefault();
    void training();
  });
  byId('run-agreement').addEventListener('click', () => void agreementCheck());
  void study();
} catch (e) {
  showError(e);
}
