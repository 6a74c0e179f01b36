/**
 * The options of the `gpu` backend (`new GpuBackend(options)`, `makeGpuProvider(options)`), checked once at the
 * boundary into a typed record before any WebGL context is made.
 */
import { DomainError, describe as show } from '../../core/errors.js';
import { checkedOptions } from '../../core/options.js';
import { optionalFunction } from '../contract.js';
import type { ContextFactory } from './context.js';

/** Simulated failures for tests: a shader that does not compile, or a context lost after creation. */
export type GpuFault = 'compile' | 'lost';

export interface GpuBackendOptions {
  /** Makes the WebGL context; throws BackendError when there is none (default: headless-gl). */
  contextFactory?: ContextFactory;
  /** Simulated failure (default: INITLAB_GPU_FAIL=compile|lost from the environment). */
  fault?: GpuFault;
  /** Where the one-time degradation warning goes (default: one stderr line). */
  warn?: (message: string) => void;
  /** Most compiled kernels kept; the least recently used is destroyed beyond it (default 64). */
  cacheSize?: number;
}

/** Resolved GpuBackendOptions: kinds checked, `cacheSize` defaulted. */
export type GpuOptions = GpuBackendOptions & { cacheSize: number };

/**
 * `options` of `new GpuBackend(options)`: an object or undefined with only the keys of GpuBackendOptions,
 * `contextFactory` and `warn` functions, `fault` 'compile' or 'lost', `cacheSize` a positive integer (default 64).
 * DomainError naming the option otherwise.
 */
export function parseGpuOptions(options: unknown): GpuOptions {
  const o = checkedOptions('GpuBackend', options, ['contextFactory', 'fault', 'warn', 'cacheSize']);
  const { fault, cacheSize = 64 } = o;
  if (fault !== undefined && parseFault(fault) === undefined) {
    throw new DomainError(`options.fault must be "compile", "lost" or undefined, got ${show(fault)}`);
  }
  if (typeof cacheSize !== 'number' || !Number.isInteger(cacheSize) || cacheSize <= 0) {
    throw new DomainError(`options.cacheSize must be a positive integer, got ${show(cacheSize)}`);
  }
  return {
    contextFactory: optionalFunction<ContextFactory>(o.contextFactory, 'options.contextFactory'),
    fault: parseFault(fault),
    warn: optionalFunction<(message: string) => void>(o.warn, 'options.warn'),
    cacheSize,
  };
}

/** 'compile' or 'lost' (a simulated failure), else undefined. */
export function parseFault(value: unknown): GpuFault | undefined {
  return value === 'compile' || value === 'lost' ? value : undefined;
}
