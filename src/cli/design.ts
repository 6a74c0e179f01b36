/**
 * `initlab design <arch>`: the Defazio–Bottou scaling calculus (reconstruction, src/init/scaling) for an architecture:
 * the γ_l table under an initialization rule, the balance verdict, the one-shot balanced variances and the per-layer
 * learning-rate multipliers.
 */
import { balanceVariances, lrMultipliers, mlpOps, scalingReport, type ScalingReport, type ScalingScheme } from '../init/index.js';
import { parseDesignArch, type DesignArch } from './arch.js';
import { jsonFlag } from './framework/common.js';
import { defineCommand, type CommandIo } from './framework/command.js';
import { UsageError, type ParsedFlags } from './framework/flags.js';

const INITS = ['fan_in', 'fan_out', 'arith', 'geometric', 'given'] as const;
const SCHEME: Record<(typeof INITS)[number], ScalingScheme> = { fan_in: 'fan_in', fan_out: 'fan_out', arith: 'arith', geometric: 'geom', given: 'given' };

const DESIGN_FLAGS = {
  init: { kind: 'enum', values: INITS, default: 'geometric', metavar: 'RULE', help: 'weight variances g/fan_in, g/fan_out, 2g/(fan_in+fan_out), g/sqrt(fan_in·fan_out), or given:' },
  weightVars: { kind: 'list', of: 'float', min: 1e-300, max: 1e300, metavar: 'v1,v2,…', help: 'the variances of --init given, one per weight layer (for a widths architecture)' },
  gain: { kind: 'float', min: 0, openMin: true, max: 1e6, default: 2, help: 'variance numerator g' },
  inputMoment: { kind: 'float', min: 0, openMin: true, max: 1e300, default: 1, help: 'q_in = E[x_0²] of the data' },
  outputGradMoment: { kind: 'float', min: 0, openMin: true, max: 1e300, default: 1, help: 'r_out = E[(Δx_L)²] of the output gradient' },
  tol: { kind: 'float', min: 0, openMin: true, max: 1, default: 1e-9, help: 'balanced ⇔ max γ / min γ ≤ 1 + tol' },
  json: jsonFlag(),
} as const;

type DesignFlags = ParsedFlags<typeof DESIGN_FLAGS>;

/** What `initlab design --json` prints. */
export interface DesignResult {
  readonly architecture: string;
  readonly init: (typeof INITS)[number];
  readonly gain: number;
  readonly title: string;
  readonly balanced: boolean;
  readonly gammaRatio: number;
  readonly gammaRef: number;
  readonly verdict: string;
  readonly layers: readonly {
    readonly index: number; readonly kind: string; readonly fanIn: number; readonly fanOut: number; readonly weightVar: number;
    readonly gamma: number; readonly gammaNormalized: number; readonly suggestedVar: number; readonly lrMultiplier: number;
  }[];
  /** One-shot balanced variances s_l·sqrt(γ_l/γ_ref): with them every γ_l equals γ_ref. */
  readonly suggestedVariances: readonly number[];
  /** Per-layer learning-rate multipliers sqrt(γ_ref/γ_l). */
  readonly lrMultipliers: readonly number[];
}

/** The scaling report of `arch` under the flags (every flag already in range; their combination checked here). */
export function designReport(arch: DesignArch, f: DesignFlags): ScalingReport {
  const scheme = SCHEME[f.init];
  if (f.weightVars !== undefined && f.init !== 'given') throw new UsageError(`--weight-vars sets the variances of --init given; got --init ${f.init}`);
  let ops = arch.kind === 'ops' ? arch.ops : mlpOps(arch.widths);
  if (arch.kind === 'widths' && f.init === 'given') {
    const layers = arch.widths.length - 1;
    if (f.weightVars === undefined || f.weightVars.length !== layers) {
      throw new UsageError(`--init given needs --weight-vars with ${layers} variance(s), one per weight layer of ${arch.widths.join('-')}, got ${f.weightVars === undefined ? 'none' : f.weightVars.length}`);
    }
    ops = mlpOps(arch.widths, f.weightVars);
  }
  if (arch.kind === 'ops' && f.weightVars !== undefined) throw new UsageError('--weight-vars is for a widths architecture; in a JSON file give each op its "weightVar"');
  const inputShape = arch.kind === 'ops' ? arch.inputShape : [arch.widths[0] as number];
  return scalingReport(ops, { inputShape, scheme, gain: f.gain, inputSecondMoment: f.inputMoment, outputGradSecondMoment: f.outputGradMoment, tol: f.tol });
}

/** The JSON result of a report. */
export function designResult(arch: DesignArch, f: DesignFlags, r: ScalingReport): DesignResult {
  return {
    architecture: arch.kind === 'widths' ? arch.widths.join('-') : arch.file,
    init: f.init,
    gain: f.gain,
    title: r.title,
    balanced: r.balanced,
    gammaRatio: r.gammaRatio,
    gammaRef: r.gammaRef,
    verdict: r.verdict,
    layers: r.layers.map((l) => ({
      index: l.index, kind: l.kind, fanIn: l.fanIn, fanOut: l.fanOut, weightVar: l.weightVar, gamma: l.gamma,
      gammaNormalized: l.gammaNormalized, suggestedVar: l.balancedVar, lrMultiplier: l.lrMultiplier,
    })),
    suggestedVariances: balanceVariances(r),
    lrMultipliers: lrMultipliers(r),
  };
}

const num = (x: number): string => (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5 ? x.toPrecision(5) : x.toExponential(3));

/** The human-readable table of a result. */
export function designTable(d: DesignResult): string {
  const head = ['layer', 'kind', 'fan_in', 'fan_out', 'variance', 'γ', 'γ/γ_ref', 'balanced var', 'lr mult'];
  const rows = d.layers.map((l) => [String(l.index), l.kind, String(l.fanIn), String(l.fanOut), num(l.weightVar), num(l.gamma), num(l.gammaNormalized), num(l.suggestedVar), num(l.lrMultiplier)]);
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] as string).length)));
  const line = (cells: readonly string[]): string => cells.map((c, j) => c.padEnd(widths[j] as number)).join('  ').trimEnd();
  return [
    `${d.title}`,
    `architecture ${d.architecture}, init ${d.init} (gain ${d.gain})`,
    '',
    line(head),
    ...rows.map(line),
    '',
    `${d.balanced ? 'BALANCED' : 'NOT BALANCED'}: max/min γ = ${num(d.gammaRatio)}, γ_ref (geometric mean) = ${num(d.gammaRef)}`,
    d.balanced ? 'every layer has the same γ: one learning rate fits all layers' : "to balance: draw each layer with the 'balanced var' column, or keep the init and scale each layer's learning rate by 'lr mult'",
  ].join('\n');
}

function runDesign(f: DesignFlags, positional: string, io: CommandIo): number {
  const arch = parseDesignArch(positional, '<arch>');
  const result = designResult(arch, f, designReport(arch, f));
  io.out(f.json ? `${JSON.stringify(result, null, 1)}\n` : `${designTable(result)}\n`);
  return 0;
}

/** The table entry of `initlab design`. */
export const designCommand = defineCommand({
  name: 'design',
  summary: 'scaling calculus (Defazio–Bottou, reconstruction) for an architecture: γ_l table, balance, suggested variances and learning rates',
  description:
    'γ_l = E[(ΔW_l)²] / E[W_l²] per weight layer from forward and backward second moments (bias-free ReLU network at\n' +
    'init); the network is balanced when every γ_l is the same. The geometric rule balances every ReLU MLP.',
  positional: { name: 'arch', help: 'layer widths like 784-300-100-10, or a .json file of ops ([op, …] or {"inputShape", "ops"})' },
  flags: DESIGN_FLAGS,
  examples: ['initlab design 784-300-100-10 --init fan_in', 'initlab design 784-300-100-10 --init geometric --json', 'initlab design net.json'],
  run: (flags, { positional, io }) => runDesign(flags, positional, io),
});
