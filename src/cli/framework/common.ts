/**
 * The flags every computing command shares, each a FlagSpec built with the command's own default: `--seed`,
 * `--backend` (the registry's backends, asked when help is printed or a value checked), `--out`, `--json`.
 */
import { BackendError } from '../../core/errors.js';
import { listBackends } from '../../kernels/index.js';
import type { BooleanFlag, EnumFlag, FloatFlag, IntFlag, StringFlag } from './flags.js';

/** `--seed N`: master seed of every random draw (same seed, same backend: bit-identical results). */
export const seedFlag = (dflt: number): IntFlag & { default: number } => ({
  kind: 'int', min: 0, max: Number.MAX_SAFE_INTEGER, default: dflt, metavar: 'N', help: 'master seed of every random draw',
});

/** `--backend B`: one of the kernel registry's backends, 'auto' by default; a bad name is a BackendError. */
export const backendFlag = (): EnumFlag & { default: string } => ({
  kind: 'enum', values: listBackends, default: 'auto', metavar: 'B', help: '', error: BackendError,
});

/** `--out DIR` with the command's default folder and what goes there. */
export const outFlag = (dflt: string, what: string): StringFlag & { default: string } => ({
  kind: 'string', default: dflt, metavar: 'DIR', help: what,
});

/** `--json`: print the machine-readable result to stdout instead of the table. */
export const jsonFlag = (): BooleanFlag => ({ kind: 'boolean', help: 'print the machine-readable result (JSON) to stdout instead of the table' });

/** `--confidence X`: the level of every interval of a study. */
export const confidenceFlag = (dflt: number): FloatFlag & { default: number } => ({
  kind: 'float', min: 0.5, max: 0.999, default: dflt, help: 'level of every interval',
});

/** `--dtype T`: float32 (the fast kernels) or float64 (exact reference). */
export const dtypeFlag = (dflt: 'float32' | 'float64'): EnumFlag<'float32' | 'float64'> & { default: 'float32' | 'float64' } => ({
  kind: 'enum', values: ['float32', 'float64'] as const, default: dflt, metavar: 'T', help: '',
});

/** The flags of a command that writes a report folder: `--seed` (its default), `--backend`, `--out` (reports/), `--json`. */
export const reportCommandFlags = (seed: number) => ({
  seed: seedFlag(seed),
  backend: backendFlag(),
  out: outFlag('reports', 'the report goes to DIR/<timestamp>/ (index.html, results.json)'),
  json: jsonFlag(),
}) as const;
