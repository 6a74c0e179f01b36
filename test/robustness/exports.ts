/**
 * The exports under test, read off the package entry points at run time (so a new export is covered without
 * editing the suite). Entries are read in the order below and a function exported by several entries (or through
 * the `init` namespace of 'initlab') is driven once, under the first entry that exports it.
 */
export const ENTRIES: readonly { entry: string; path: string }[] = [
  { entry: 'initlab/init', path: '../../src/init/index.js' },
  { entry: 'initlab/nn', path: '../../src/nn/index.js' },
  { entry: 'initlab', path: '../../src/index.js' },
];

export interface ExportedCallable {
  /** `<entry>#<name>`, e.g. `initlab/init#heNormal`. */
  id: string;
  entry: string;
  name: string;
  kind: 'function' | 'class';
  value: (...args: unknown[]) => unknown;
}

const isClass = (f: unknown): boolean => typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));
const isNamespace = (v: unknown): v is Record<string, unknown> => Object.prototype.toString.call(v) === '[object Module]';

/** Every exported function and class, once each; namespace objects (`init`) are walked one level down. */
export async function exportedCallables(): Promise<ExportedCallable[]> {
  const seen = new Set<unknown>();
  const out: ExportedCallable[] = [];
  const visit = (entry: string, name: string, value: unknown): void => {
    if (isNamespace(value)) {
      for (const [k, v] of Object.entries(value)) visit(entry, `${name}.${k}`, v);
      return;
    }
    if (typeof value !== 'function' || seen.has(value)) return;
    seen.add(value);
    out.push({ id: `${entry}#${name}`, entry, name, kind: isClass(value) ? 'class' : 'function', value: value as (...args: unknown[]) => unknown });
  };
  for (const { entry, path } of ENTRIES) {
    const mod = (await import(path)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) visit(entry, name, value);
  }
  return out;
}
