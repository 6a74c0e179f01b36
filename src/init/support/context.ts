/**
 * Validation of the registry's `InitContext` (entry.ts) at the public boundary: the registry wrapper and
 * `initializeNetwork` call `parseContext` before an entry runs, so a scheme reads a well-formed context and
 * `{ data: null }` is a DomainError naming `context.data` instead of a TypeError inside the scheme.
 */
import { DomainError, NonFiniteError, ShapeError, describe } from '../../core/errors.js';
import type { FloatArray } from '../../core/index.js';
import type { DataBatch, InitContext, LayerTensors } from '../entry.js';
import { checkedOptions, nonNegativeIntParam, optionKeys } from './options.js';
import { checkInitShape } from './size.js';

const CONTEXT_KEYS = optionKeys<InitContext>({ shapes: true, layers: true, layerIndex: true, data: true, extra: true });

const isFloatArray = (x: unknown): x is FloatArray => x instanceof Float32Array || x instanceof Float64Array;

/** A plain object (not null, not an array), else a DomainError naming `name`. */
export function recordParam(name: string, value: unknown): { readonly [key: string]: unknown } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DomainError(`${name} must be an object, got ${describe(value)}`);
  }
  return value as { readonly [key: string]: unknown };
}

/**
 * A data batch `{ x, shape }`: `x` a Float32Array / Float64Array or an array of finite numbers, `shape` a shape
 * whose element count equals x.length; every value finite.
 */
export function parseDataBatch(value: unknown, name = 'context.data'): DataBatch {
  const rec = checkedOptions('a data batch', recordParam(name, value), ['x', 'shape'], name);
  const x = rec['x'];
  if (!isFloatArray(x) && !Array.isArray(x)) {
    throw new DomainError(`${name}.x must be a Float32Array, a Float64Array or an array of finite numbers, got ${describe(x)}`);
  }
  // empty batches pass here: the scheme that reads the data says how many samples it needs
  const n = checkInitShape(rec['shape'], `${name}.shape`, 1, Infinity, 0);
  if (x.length !== n) throw new ShapeError(`${name}.x has ${x.length} values but ${name}.shape = ${describe(rec['shape'])} holds ${n}`);
  for (let i = 0; i < x.length; i++) {
    const v: unknown = x[i];
    if (typeof v !== 'number') throw new DomainError(`${name}.x[${i}] must be a finite number, got ${describe(v)}`);
    if (!Number.isFinite(v)) throw new NonFiniteError(`${name}.x[${i}] must be a finite number, got ${describe(v)}`);
  }
  return { x: isFloatArray(x) ? x : Float64Array.from(x as number[]), shape: rec['shape'] as readonly number[] };
}

function parseLayer(value: unknown, name: string): LayerTensors {
  const rec = checkedOptions('a layer', recordParam(name, value), ['W', 'b', 'shape', 'scale'], name);
  if (!isFloatArray(rec['W'])) throw new DomainError(`${name}.W must be a Float32Array or a Float64Array, got ${describe(rec['W'])}`);
  const n = checkInitShape(rec['shape'], `${name}.shape`, 1);
  if (rec['W'].length !== n) throw new ShapeError(`${name}.W has ${rec['W'].length} values but ${name}.shape holds ${n}`);
  if (rec['b'] !== undefined && !isFloatArray(rec['b'])) throw new DomainError(`${name}.b must be a Float32Array or a Float64Array, got ${describe(rec['b'])}`);
  return value as LayerTensors;
}

/**
 * Parse the optional `context` of a registry call: `undefined` gives `{}`; otherwise an object with only the keys of
 * `InitContext`, each well-formed (`shapes`: shapes, `layers`: `{ W, b?, shape, scale? }`, `layerIndex`: an integer
 * ≥ 0, `data`: a data batch, `extra`: an object whose fields each scheme checks). `null` is a DomainError.
 */
export function parseContext(context: unknown, name = 'context'): InitContext {
  if (context === undefined) return {};
  const c = checkedOptions('an initializer context', recordParam(name, context), CONTEXT_KEYS, name);
  if (c['shapes'] !== undefined) {
    if (!Array.isArray(c['shapes'])) throw new DomainError(`${name}.shapes must be an array of shapes, got ${describe(c['shapes'])}`);
    c['shapes'].forEach((s: unknown, i: number) => checkInitShape(s, `${name}.shapes[${i}]`, 1));
  }
  if (c['layers'] !== undefined) {
    if (!Array.isArray(c['layers'])) throw new DomainError(`${name}.layers must be an array of layers, got ${describe(c['layers'])}`);
    c['layers'].forEach((l: unknown, i: number) => parseLayer(l, `${name}.layers[${i}]`));
  }
  if (c['layerIndex'] !== undefined) nonNegativeIntParam(`${name}.layerIndex`, c['layerIndex']);
  if (c['data'] !== undefined) parseDataBatch(c['data'], `${name}.data`);
  if (c['extra'] !== undefined) recordParam(`${name}.extra`, c['extra']);
  return c as InitContext;
}
