/**
 * Vega-Lite spec → static SVG string, in Node: compiled by vega-lite, run and rendered by vega's headless SVG
 * renderer (no DOM, no canvas, no network). The SVG is inlined in the HTML report, which then needs no script.
 */
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
