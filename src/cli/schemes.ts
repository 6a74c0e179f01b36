/** `initlab schemes`: every registered initializer, its kind, provenance, description and source. */
import { listInitializers } from '../init/index.js';

export function schemes(): number {
  for (const e of listInitializers()) {
    const aliases = e.aliases !== undefined && e.aliases.length > 0 ? ` (aliases: ${e.aliases.join(', ')})` : '';
    process.stdout.write(`${e.name}${aliases}\n  kind: ${e.kind}, provenance: ${e.provenance}\n  ${e.description}\n  source: ${e.source}\n\n`);
  }
  return 0;
}
