/**
 * The playground's form, read once into typed records with initlab's own parameter checks, so that bad input shows
 * the same typed error (DomainError naming the field, the allowed range and the value) as the library would give.
 */
import { init, type MlpActivation } from '../../src/browser.js';

export const ACTIVATIONS: readonly MlpActivation[] = ['relu', 'leaky_relu', 'rrelu', 'tanh', 'sigmoid'];
export const BACKENDS = ['auto', 'cpu', 'wasm', 'gpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];

export interface StudyParams {
  readonly schemes: readonly string[];
  readonly depth: number;
  readonly width: number;
  readonly batch: number;
  readonly activation: MlpActivation;
  /** Moment order of the fractional scheme, in (0, 2]. */
  readonly s: number;
  /** γ of the mean-field scheme (every layer), in [1/2, 1]. */
  readonly gamma: number;
  readonly seed: number;
  readonly backend: BackendChoice;
}

export interface TrainParams {
  readonly scheme: string;
  readonly depth: number;
  readonly width: number;
  readonly steps: number;
  readonly batch: number;
  readonly lr: number;
}

/** The value of form field `id` as a number (an empty field reads NaN, which the checks reject by name). */
function num(form: HTMLFormElement, id: string): number {
  const el = form.elements.namedItem(id);
  return el instanceof HTMLInputElement && el.value.trim() !== '' ? Number(el.value) : NaN;
}

function str(form: HTMLFormElement, id: string): string {
  const el = form.elements.namedItem(id);
  return el instanceof HTMLInputElement || el instanceof HTMLSelectElement ? el.value : '';
}

/** Largest depth and width the page accepts: a study stays a few seconds long in a browser tab. */
const MAX_DEPTH = 64;
const MAX_WIDTH = 1024;

/** The study's fields; DomainError for the first bad one. Unknown scheme names fail in `getInitializer`. */
export function readStudy(form: HTMLFormElement): StudyParams {
  const checked = [...form.querySelectorAll<HTMLInputElement>('input[name=scheme]:checked')].map((e) => e.value);
  if (checked.length === 0) throw new init.DomainError('schemes must name at least one initializer, got none');
  for (const name of checked) init.getInitializer(name);
  return {
    schemes: checked,
    depth: init.rangeParam('depth', init.positiveIntParam('depth', num(form, 'depth')), 1, MAX_DEPTH),
    width: init.rangeParam('width', init.positiveIntParam('width', num(form, 'width')), 1, MAX_WIDTH),
    batch: init.rangeParam('batch', init.positiveIntParam('batch', num(form, 'batch')), 1, 4096),
    activation: init.enumParam('activation', str(form, 'activation'), ACTIVATIONS),
    s: init.rangeParam('s (fractional)', num(form, 's'), 0, 2, { openLo: true }),
    gamma: init.rangeParam('γ (mean-field)', num(form, 'gamma'), 0.5, 1),
    seed: init.nonNegativeIntParam('seed', num(form, 'seed')),
    backend: init.enumParam('backend', str(form, 'backend'), BACKENDS),
  };
}

/** The training fields (the scheme is checked by `mlp`). */
export function readTrain(form: HTMLFormElement): TrainParams {
  const scheme = str(form, 'trainScheme');
  init.getInitializer(scheme);
  return {
    scheme,
    depth: init.rangeParam('train depth', init.positiveIntParam('train depth', num(form, 'trainDepth')), 1, 16),
    width: init.rangeParam('train width', init.positiveIntParam('train width', num(form, 'trainWidth')), 1, 512),
    steps: init.rangeParam('steps', init.positiveIntParam('steps', num(form, 'steps')), 1, 5000),
    batch: init.rangeParam('train batch', init.positiveIntParam('train batch', num(form, 'trainBatch')), 1, 2000),
    lr: init.rangeParam('learning rate', num(form, 'lr'), 0, 10, { openLo: true }),
  };
}

/** Options of scheme `name` from the study's parameters (s and act for fractional, γ for mean-field). */
export function schemeOptions(name: string, p: Pick<StudyParams, 's' | 'gamma' | 'activation'>): Record<string, unknown> {
  const entry = init.getInitializer(name);
  if (entry.name === 'fractional') return { s: p.s, act: p.activation };
  if (entry.name === 'meanfield') return { gammas: p.gamma };
  return {};
}
