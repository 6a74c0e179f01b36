/**
 * `--scheme name:key=value:key=value` → a registry name and its typed options → a SchemeSpec of the comparison
 * engine (`schemeSpec`). Values are numbers (`s=1.5`), comma lists of numbers (`gammas=1,1,0.5`), booleans
 * (`fold=true`) or strings (`variant=l2`).
 */
import { describe } from '../core/errors.js';
import { nearestName } from '../core/options.js';
import type { SchemeSpec } from '../experiments/compare/types.js';
import { schemeSpec } from '../experiments/compare/schemes.js';
import { hasInitializer, initializerNames, type InitOptions } from '../init/index.js';
import { UsageError } from './framework/flags.js';

/** A scheme as written on the command line: its registry name and options. */
export interface SchemeArg {
  readonly name: string;
  readonly options: InitOptions;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** One option value: a number, a comma list of numbers, a boolean, else the string itself. */
function optionValue(text: string, flag: string, key: string, arg: string): number | number[] | boolean | string {
  if (text === '') throw new UsageError(`${flag} ${describe(arg)}: option ${key} has no value; write ${key}=VALUE`);
  if (text === 'true' || text === 'false') return text === 'true';
  if (NUMBER.test(text)) return Number(text);
  if (text.includes(',')) {
    const parts = text.split(',');
    if (parts.every((p) => NUMBER.test(p))) return parts.map(Number);
    throw new UsageError(`${flag} ${describe(arg)}: option ${key}=${text} mixes numbers and words; a list must be numbers like 1,1,0.5`);
  }
  return text;
}

/**
 * Parse `text` (the value of `flag`, e.g. `fractional:s=1.5`): the name must be a registered initializer (a
 * UsageError listing them, with a did-you-mean, otherwise), each option `key=value` with a key given once.
 */
export function parseSchemeArg(text: string, flag = '--scheme'): SchemeArg {
  const [name = '', ...opts] = text.split(':');
  if (!hasInitializer(name)) {
    const names = initializerNames();
    const near = nearestName(name, names);
    throw new UsageError(`${flag} ${describe(text)}: unknown scheme ${describe(name)}${near === undefined ? '' : ` (did you mean ${near}?)`}; schemes: ${names.join(', ')}`);
  }
  const options: Record<string, unknown> = {};
  for (const o of opts) {
    const eq = o.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag} ${describe(text)}: options are written name:key=value[:key=value], got ${describe(o)}`);
    const key = o.slice(0, eq);
    if (Object.prototype.hasOwnProperty.call(options, key)) throw new UsageError(`${flag} ${describe(text)}: option ${key} is given twice`);
    options[key] = optionValue(o.slice(eq + 1), flag, key, text);
  }
  return { name, options };
}

/** The SchemeSpec of a `--scheme` value (options are checked by the scheme itself when it runs). */
export function schemeFromArg(text: string, flag = '--scheme'): SchemeSpec {
  const { name, options } = parseSchemeArg(text, flag);
  return schemeSpec(name, options);
}
