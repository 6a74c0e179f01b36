/** `initlab schemes`: every registered initializer, its kind, provenance, description and source. */
import { listInitializers } from '../init/index.js';
import { jsonFlag } from './framework/common.js';
import { defineCommand, processIo, type CommandIo } from './framework/command.js';

/** Print every registered initializer (as text, or as a JSON array with `json`); exit code 0. */
export function schemes(json = false, io: CommandIo = processIo): number {
  const list = listInitializers().map((e) => ({
    name: e.name, aliases: [...(e.aliases ?? [])], kind: e.kind, provenance: e.provenance, description: e.description, source: e.source,
  }));
  if (json) {
    io.out(`${JSON.stringify(list, null, 1)}\n`);
    return 0;
  }
  for (const e of list) {
    const aliases = e.aliases.length > 0 ? ` (aliases: ${e.aliases.join(', ')})` : '';
    io.out(`${e.name}${aliases}\n  kind: ${e.kind}, provenance: ${e.provenance}\n  ${e.description}\n  source: ${e.source}\n\n`);
  }
  return 0;
}

/** The table entry of `initlab schemes`. */
export const schemesCommand = defineCommand({
  name: 'schemes',
  summary: 'list every registered initializer: name, aliases, kind, provenance, description, source',
  description: "The names are what --scheme takes (e.g. --scheme fractional:s=1.5, see 'initlab train --help').",
  flags: { json: jsonFlag() },
  run: (flags, { io }) => schemes(flags.json, io),
});
