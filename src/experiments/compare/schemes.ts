/**
 * A scheme of a comparison from a registry name and options: its stable id (`fractional:s=1.5`), label, provenance,
 * the quantity it promises to preserve and its learning-rate rule. The one place the CLI's `--scheme` and the
 * defaults turn into SchemeSpec.
 */
import { DomainError, describe } from '../../core/errors.js';
import { getInitializer, type InitOptions } from '../../init/index.js';
import type { SchemeSpec } from './types.js';

/** `1.5`, `1,1,0.5`, `relu`: an option value as it is written on the command line. */
function formatValue(v: unknown): string {
  if (Array.isArray(v)) return v.map(formatValue).join(',');
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return String(v);
  throw new DomainError(`scheme options must be numbers, strings, booleans or arrays of them, got ${describe(v)}`);
}

/** `name:k=v:k2=v2` with the keys sorted, so that the same scheme and options always give the same id. */
export function schemeId(name: string, options: InitOptions): string {
  const keys = Object.keys(options).sort();
  return [name, ...keys.map((k) => `${k}=${formatValue(options[k])}`)].join(':');
}

function preservesOf(name: string): SchemeSpec['preserves'] {
  if (name === 'fractional') return 's-moment';
  if (name === 'meanfield') return 'meanfield';
  if (name === 'geometric' || name === 'scaling_balanced') return 'gamma-balance';
  return 'second-moment';
}

/**
 * The SchemeSpec of registry entry `name` (an alias resolves to the canonical name) with `options`; `label` defaults
 * to the id, with the provenance appended when it is not 'verified' (e.g. `lps_r (reconstruction)`). An unknown name
 * is the registry's error, which lists the known ones. The options are checked by the scheme when it runs.
 */
export function schemeSpec(name: string, options: InitOptions = {}, label?: string): SchemeSpec {
  const entry = getInitializer(name);
  const id = schemeId(entry.name, options);
  const tag = entry.provenance === 'verified' ? '' : ` (${entry.provenance})`;
  return {
    id,
    name: entry.name,
    options,
    label: label ?? `${id}${tag}`,
    provenance: entry.provenance,
    preserves: preservesOf(entry.name),
    lrRule: entry.name === 'meanfield' ? 'meanfield' : entry.name === 'mup' ? 'mup' : 'uniform',
  };
}
