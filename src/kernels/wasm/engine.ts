/**
 * The JavaScript engine's WebAssembly API, typed here for the little the backend uses: the project compiles
 * against lib ES2022 and @types/node 20, neither of which declares the `WebAssembly` global.
 */

/** A compiled module. */
export type WasmModule = object;

export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** The engine's WebAssembly, or null when it has none. */
export const wasmApi: WasmApi | null = (globalThis as { WebAssembly?: WasmApi }).WebAssembly ?? null;
