/**
 * The WebAssembly binary format, the little of it the wasm backend needs (core spec §5: "Binary Format"):
 * LEB128 integers, vectors, sections, and a module of functions that share one imported memory.
 *
 * The kernels are written at run time by TypeScript (./kernels.ts through ./emit.ts): no toolchain, no
 * committed .wasm file, nothing downloaded. `WebAssembly.validate` is the final judge of what this writes.
 */

/** Value types (§5.3.1): the only ones the kernels use. */
export const ValType = { i32: 0x7f, f32: 0x7d, v128: 0x7b } as const;
export type ValTypeName = keyof typeof ValType;

/** Unsigned LEB128 of a non-negative integer below 2^32. */
export function uleb(value: number): number[] {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`uleb: expected a u32, got ${value}`);
  const out: number[] = [];
  let v = value;
  do {
    let byte = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of an i32 (i32.const immediates are signed). */
export function sleb(value: number): number[] {
  if (!Number.isInteger(value) || value < -(2 ** 31) || value > 0xffffffff) throw new RangeError(`sleb: expected an i32, got ${value}`);
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** Little-endian bytes of a float32 (f32.const immediate). */
export function f32Bytes(value: number): number[] {
  const bytes = new Uint8Array(new Float32Array([value]).buffer);
  return Array.from(bytes);
}

/** A name as the format stores it: length, then UTF-8 bytes. */
function name(s: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(s));
  return [...uleb(bytes.length), ...bytes];
}

/** A vector: its length, then the concatenated encodings of its items. */
function vec(items: readonly number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

/** One function of a module: its signature, declared locals (beyond the params) and body (without `end`). */
export interface FunctionDef {
  /** Export name. */
  name: string;
  params: readonly ValTypeName[];
  results: readonly ValTypeName[];
  /** Types of the locals declared after the parameters, in index order. */
  locals: readonly ValTypeName[];
  body: readonly number[];
}

/** The memory every kernel works in, imported as env.memory so JS owns it (and can share it between threads). */
export interface MemoryImport {
  /** Initial size in 64 KiB pages. */
  initialPages: number;
  /** Maximum size in pages (required for a shared memory). */
  maximumPages?: number;
  shared: boolean;
}

/** Locals are declared run-length encoded: (count, type) pairs. */
function localDecls(types: readonly ValTypeName[]): number[] {
  const runs: number[][] = [];
  let i = 0;
  while (i < types.length) {
    let j = i;
    while (j < types.length && types[j] === types[i]) j++;
    runs.push([...uleb(j - i), ValType[types[i]]]);
    i = j;
  }
  return vec(runs);
}

/** Encode a module: one memory import (env.memory), the functions, each exported under its name. */
export function encodeModule(memory: MemoryImport, functions: readonly FunctionDef[]): Uint8Array {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [ValType[t]])), ...vec(f.results.map((t) => [ValType[t]]))]);
  const limits =
    memory.maximumPages === undefined
      ? [0x00, ...uleb(memory.initialPages)]
      : [memory.shared ? 0x03 : 0x01, ...uleb(memory.initialPages), ...uleb(memory.maximumPages)];
  const imports = vec([[...name('env'), ...name('memory'), 0x02, ...limits]]);
  const funcIndices = vec(functions.map((_, i) => uleb(i)));
  const exports = vec(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]));
  const bodies = vec(
    functions.map((f) => {
      const body = [...localDecls(f.locals), ...f.body, 0x0b];
      return [...uleb(body.length), ...body];
    }),
  );
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, // magic "\0asm"
    0x01, 0x00, 0x00, 0x00, // version 1
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, funcIndices),
    ...section(7, exports),
    ...section(10, bodies),
  ]);
}
