/**
 * Vega-Lite spec → static SVG string, in Node: compiled by vega-lite, run and rendered by vega's headless SVG
 * renderer (no DOM, no canvas, no network). The SVG is inlined in the HTML report, which then needs no script.
 *
 * `renderSvgSync` exists for the legacy synchronous `signalReportHtml`: vega's dataflow finishes in promise
 * callbacks, which no synchronous code can wait for, so it renders in a child Node process (execFileSync).
 */
import { execFileSync } from 'node:child_process';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { ReportError } from './output.js';

export type VegaLiteSpec = vl.TopLevelSpec;

/** Compile a Vega-Lite spec to a Vega spec, turning vega-lite's warnings into errors (a warning means a mis-specified plot). */
export function compileSpec(spec: VegaLiteSpec): vega.Spec {
  const log = new CollectingLogger();
  const out = vl.compile(spec, { logger: log });
  if (log.messages.length > 0) throw new ReportError(`plot spec ${describeSpec(spec)} compiles with warnings: ${log.messages.join('; ')}`);
  return out.spec;
}

/** vega-lite's logger interface, keeping errors and warnings instead of printing them. */
class CollectingLogger {
  readonly messages: string[] = [];
  level(): number {
    return 0;
  }
  error(...a: unknown[]): this {
    this.messages.push(a.map(String).join(' '));
    return this;
  }
  warn(...a: unknown[]): this {
    return this.error(...a);
  }
  info(): this {
    return this;
  }
  debug(): this {
    return this;
  }
}

const describeSpec = (spec: VegaLiteSpec): string => JSON.stringify((spec as { title?: unknown }).title ?? (spec as { description?: unknown }).description ?? '(untitled)');

/** Render a Vega-Lite spec to an SVG string (async: vega's dataflow runs in promises). */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const view = new vega.View(vega.parse(compileSpec(spec)), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The child process's program: read compiled Vega specs as JSON from stdin, print their SVGs as a JSON array. */
const CHILD = `
const vega = await import(process.argv[1]);
let input = '';
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const spec of JSON.parse(input)) {
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  out.push(await view.toSVG());
  view.finalize();
}
process.stdout.write(JSON.stringify(out));
`;

/** Render several Vega-Lite specs synchronously (one child Node process for all of them; see the file comment). */
export function renderSvgSync(specs: readonly VegaLiteSpec[]): string[] {
  const compiled = specs.map(compileSpec);
  if (compiled.length === 0) return [];
  const vegaUrl = import.meta.resolve('vega');
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, ['--input-type=module', '-e', CHILD, vegaUrl], {
      input: JSON.stringify(compiled),
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new ReportError(`rendering ${compiled.length} plot(s) in a child process failed: ${(err.stderr ?? err.message).trim().split('\n').slice(-3).join(' ')}`);
  }
  return JSON.parse(stdout) as string[];
}
