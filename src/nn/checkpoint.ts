/**
 * Checkpoints of a module's parameters in the safetensors layout (huggingface/safetensors, docs "Format"): an 8-byte
 * little-endian header length N, a JSON header of N bytes `{ name: { dtype: 'F32' | 'F64', shape, data_offsets:
 * [begin, end] }, __metadata__?: { key: string } }` (offsets relative to the data after the header), then the raw
 * little-endian data. Saving writes a temporary file in the target's folder, fsyncs it and renames it over the target,
 * so an interrupted save leaves the previous file (or none). Loading validates the whole file and the whole state
 * against the model before it writes a single parameter: any failure leaves the model as it was.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InitlabError, describe } from '../core/errors.js';
import { checkedOptions, optionKeys } from '../core/options.js';
import { type DType, Tensor, noGrad } from '../tensor/index.js';

/** What a checkpoint failure is about. */
export type CheckpointProblem = 'io' | 'truncated' | 'header' | 'offsets' | 'missing' | 'unexpected' | 'shape' | 'dtype' | 'model' | 'optimizer' | 'config';

/** A checkpoint cannot be written, read or applied; names the file (null for an in-memory state) and the tensor. */
export class CheckpointError extends InitlabError {
  readonly file: string | null;
  readonly tensor: string | null;
  readonly problem: CheckpointProblem;
  constructor(message: string, file: string | null = null, tensor: string | null = null, problem: CheckpointProblem = 'io') {
    super(`${typeof file === 'string' ? `${file}: ` : ''}${typeof tensor === 'string' ? `tensor ${JSON.stringify(tensor)}: ` : ''}${String(message)}`);
    this.file = typeof file === 'string' ? file : null;
    this.tensor = typeof tensor === 'string' ? tensor : null;
    this.problem = problem;
  }
}

/** What checkpoints read and write: anything with named parameters (a `Module`). */
export interface HasParameters {
  namedParameters(): readonly (readonly [string, Tensor])[];
}

/** Parameter copies by name, in the model's order. */
export type StateDict = Map<string, Tensor>;

const CODE: Record<DType, 'F32' | 'F64'> = { float32: 'F32', float64: 'F64' };
const DTYPE_OF: Record<string, DType> = { F32: 'float32', F64: 'float64' };
/** safetensors' own limit on the header (100 MB), so a corrupt length cannot make us allocate gigabytes. */
const MAX_HEADER = 100_000_000;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The model's parameters, checked: unique non-empty names, contiguous Tensors. */
export function modelParams(model: unknown, file: string | null): [string, Tensor][] {
  if (typeof model !== 'object' || model === null || typeof (model as { namedParameters?: unknown }).namedParameters !== 'function') {
    throw new CheckpointError(`model must be a Module (an object with namedParameters()), got ${describe(model)}`, file, null, 'model');
  }
  return checkEntries((model as HasParameters).namedParameters(), 'model.namedParameters()', file);
}

/** `list` (written `where`) must be an array of [unique non-empty name, contiguous Tensor]. */
export function checkEntries(list: unknown, where: string, file: string | null): [string, Tensor][] {
  if (!Array.isArray(list)) throw new CheckpointError(`${where} must be an array of [name, Tensor], got ${describe(list)}`, file, null, 'model');
  const seen = new Set<string>();
  return list.map((p: unknown, i) => {
    const [name, t] = Array.isArray(p) ? (p as unknown[]) : [undefined, undefined];
    if (typeof name !== 'string' || name === '' || name === '__metadata__' || seen.has(name) || !(t instanceof Tensor) || !t.isContiguous()) {
      throw new CheckpointError(`${where}[${i}] must be [unique name, contiguous Tensor], got ${describe(p)}`, file, null, 'model');
    }
    seen.add(name);
    return [name, t];
  });
}

/** Copies of the model's parameters by name (detached, so later training does not change them). */
export function stateDict(model: HasParameters): StateDict {
  return new Map(modelParams(model, null).map(([n, t]) => [n, new Tensor(t.dense().slice(), [...t.shape])]));
}

/** `state` as name → Tensor pairs: a Map or a plain record. */
export function stateEntries(state: unknown, file: string | null): [string, Tensor][] {
  let entries: [string, unknown][];
  if (state instanceof Map) entries = [...(state as Map<unknown, unknown>)].map(([k, v]) => [String(k), v]);
  else if (typeof state === 'object' && state !== null && !Array.isArray(state) && !(state instanceof Tensor)) entries = Object.entries(state);
  else throw new CheckpointError(`state must be a Map or a record of name → Tensor, got ${describe(state)}`, file, null, 'model');
  return entries.map(([k, v]) => {
    if (!(v instanceof Tensor)) throw new CheckpointError(`must be a Tensor, got ${describe(v)}`, file, k, 'dtype');
    return [k, v];
  });
}

/**
 * Copy `state` (a Map or record of name → Tensor, e.g. from `stateDict`) into the model's parameters in place. The
 * names must be exactly the model's, each with the parameter's shape and dtype; everything is checked first, so on a
 * CheckpointError (naming the tensor) no parameter has changed.
 */
export function loadStateDict(model: HasParameters, state: StateDict | Readonly<Record<string, Tensor>>): void {
  applyState(modelParams(model, null), stateEntries(state, null), null);
}

function applyState(params: [string, Tensor][], entries: [string, Tensor][], file: string | null): void {
  const byName = checkState(params, entries, file);
  writeState(params, byName);
}

/** Check `entries` against the model's parameters (names, shapes, dtypes) without writing; the entries by name. */
export function checkState(params: [string, Tensor][], entries: [string, Tensor][], file: string | null): Map<string, Tensor> {
  const byName = new Map(entries);
  for (const [name] of entries) {
    if (!params.some(([n]) => n === name)) throw new CheckpointError('is not a parameter of the model (unexpected key)', file, name, 'unexpected');
  }
  for (const [name, p] of params) {
    const s = byName.get(name);
    if (s === undefined) throw new CheckpointError('is missing from the state (the model has this parameter)', file, name, 'missing');
    if (s.shape.length !== p.shape.length || s.shape.some((d, i) => d !== p.shape[i])) {
      throw new CheckpointError(`has shape [${s.shape.join(', ')}], the model's parameter has [${p.shape.join(', ')}]`, file, name, 'shape');
    }
    if (s.dtype !== p.dtype) throw new CheckpointError(`has dtype ${s.dtype}, the model's parameter has ${p.dtype}`, file, name, 'dtype');
  }
  return byName;
}

/** Copy checked entries into the parameters in place. */
export function writeState(params: [string, Tensor][], byName: Map<string, Tensor>): void {
  noGrad(() => {
    for (const [name, p] of params) p.data.set((byName.get(name) as Tensor).dense(), p.offset);
  });
}

/** The little-endian bytes of `a` (a copy). */
function leBytes(a: Float32Array | Float64Array): Uint8Array {
  const out = new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
  if (!LITTLE_ENDIAN) for (let i = 0; i < out.length; i += a.BYTES_PER_ELEMENT) out.subarray(i, i + a.BYTES_PER_ELEMENT).reverse();
  return out;
}

/** Options of `saveState`. */
export interface SaveStateOptions {
  /** String key → string value pairs stored in the header's `__metadata__`. */
  readonly metadata?: Readonly<Record<string, string>>;
}
const SAVE_KEYS = optionKeys<SaveStateOptions>({ metadata: true });

/** undefined or a record of string values (the format's `__metadata__`). */
export function checkMetadata(meta: unknown, name: string, file: string | null): Record<string, string> | undefined {
  if (meta !== undefined && (typeof meta !== 'object' || meta === null || Array.isArray(meta) || Object.values(meta).some((v) => typeof v !== 'string'))) {
    throw new CheckpointError(`${name} must be a record of strings, got ${describe(meta)}`, file, null, 'header');
  }
  return meta as Record<string, string> | undefined;
}

export function checkPath(path: unknown, fn: string, requireExt: boolean): string {
  if (typeof path !== 'string' || path === '' || path.includes('\0')) throw new CheckpointError(`${fn}: path must be a non-empty file path, got ${describe(path)}`);
  // The format's extension; also catches a swapped or junk argument before a stray file is written.
  if (requireExt && !path.endsWith('.safetensors')) throw new CheckpointError(`${fn}: path must end in .safetensors, got ${describe(path)}`, path);
  return path;
}

/** The bytes of a safetensors file holding `entries` (header padded with spaces to a multiple of 8, as the reference does). */
export function encodeSafetensors(entries: readonly (readonly [string, Tensor])[], metadata?: Readonly<Record<string, string>>): Uint8Array {
  checkEntries(entries, 'entries', null);
  checkMetadata(metadata, 'metadata', null);
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) header['__metadata__'] = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of entries) {
    const bytes = leBytes(t.dense());
    header[name] = { dtype: CODE[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((Buffer.byteLength(json) + 8) % 8)) % 8);
  const head = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Write the model's parameters to `path` (ending in `.safetensors`) in the safetensors layout, atomically: the bytes go
 * to a temporary file in the same folder, which is fsynced and renamed over `path` (then the folder is fsynced, where
 * the platform allows). `options.metadata`: string pairs for the header's `__metadata__`.
 */
export function saveState(model: HasParameters, path: string, options?: SaveStateOptions): void {
  const params = modelParams(model, typeof path === 'string' ? path : null);
  const file = checkPath(path, 'saveState', true);
  const o = checkedOptions('saveState', options, SAVE_KEYS);
  writeAtomic(file, encodeSafetensors(params, checkMetadata(o.metadata, 'options.metadata', file)));
}

/** Write `bytes` to `file` through a temporary file in its folder, fsynced and renamed over it. */
export function writeAtomic(file: string, bytes: Uint8Array): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx');
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, file);
  } catch (e) {
    if (fd !== null) closeSync(fd);
    try { unlinkSync(tmp); } catch { /* the temporary file was never created or is already gone */ }
    throw new CheckpointError(`cannot write the checkpoint: ${(e as Error).message}`, file, null, 'io');
  }
  syncDir(dirname(file));
}

/** fsync a folder so the rename itself is durable; some platforms cannot open a folder, which only weakens durability. */
function syncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch { /* not supported here (e.g. Windows): the rename is done, only its durability on power loss is weaker */ } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Parse safetensors bytes into (name, Tensor) pairs and the metadata, validating everything: the length prefix and
 * header fit the file, the header is a JSON object, every entry has dtype F32 / F64, a shape of non-negative integers
 * and data_offsets [begin, end] with begin ≤ end ≤ data size, end − begin = numel · element size, and no two entries
 * overlap. `file` names the source in errors.
 */
export function decodeSafetensors(bytes: Uint8Array, file: string): { entries: [string, Tensor][]; metadata: Record<string, string> } {
  if (!(bytes instanceof Uint8Array)) throw new CheckpointError(`bytes must be a Uint8Array, got ${describe(bytes)}`, file, null, 'io');
  if (bytes.length < 8) throw new CheckpointError(`truncated: ${bytes.length} bytes, fewer than the 8-byte header length`, file, null, 'truncated');
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (n > BigInt(bytes.length - 8) || n > BigInt(MAX_HEADER)) {
    throw new CheckpointError(`truncated or corrupt: the header length is ${n} bytes, the file has ${bytes.length - 8} after the length`, file, null, 'truncated');
  }
  const headerEnd = 8 + Number(n);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, headerEnd)));
  } catch (e) {
    throw new CheckpointError(`the header is not valid JSON: ${(e as Error).message}`, file, null, 'header');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new CheckpointError(`the header must be a JSON object, got ${describe(header)}`, file, null, 'header');
  const dataLen = bytes.length - headerEnd;
  const metadata: Record<string, string> = {};
  const spans: [number, number, string][] = [];
  const entries: [string, Tensor][] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (typeof info !== 'object' || info === null || Array.isArray(info) || Object.values(info).some((v) => typeof v !== 'string')) {
        throw new CheckpointError(`__metadata__ must be an object of strings, got ${describe(info)}`, file, null, 'header');
      }
      Object.assign(metadata, info);
      continue;
    }
    const bad = (what: string): CheckpointError => new CheckpointError(what, file, name, 'header');
    if (typeof info !== 'object' || info === null) throw bad(`the entry must be { dtype, shape, data_offsets }, got ${describe(info)}`);
    const { dtype: code, shape, data_offsets: off } = info as Record<string, unknown>;
    const dtype = typeof code === 'string' ? DTYPE_OF[code] : undefined;
    if (dtype === undefined) throw bad(`dtype must be "F32" or "F64", got ${describe(code)}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) throw bad(`shape must be an array of non-negative integers, got ${describe(shape)}`);
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
      throw bad(`data_offsets must be [begin, end] of non-negative integers, got ${describe(off)}`);
    }
    const [begin, end] = off as [number, number];
    const width = dtype === 'float32' ? 4 : 8;
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    if (begin > end || end > dataLen) {
      throw new CheckpointError(`data_offsets [${begin}, ${end}] run outside the data (${dataLen} bytes after the header): the file is truncated or the header is corrupt`, file, name, 'offsets');
    }
    if (end - begin !== size * width) {
      throw new CheckpointError(`data_offsets [${begin}, ${end}] span ${end - begin} bytes, shape [${(shape as number[]).join(', ')}] of ${code} needs ${size * width}`, file, name, 'offsets');
    }
    spans.push([begin, end, name]);
    // A copy with its own buffer (a Buffer from readFileSync may view a shared pool, and Buffer.slice does not copy).
    const buf = new Uint8Array(bytes.subarray(headerEnd + begin, headerEnd + end));
    if (!LITTLE_ENDIAN) for (let i = 0; i < buf.length; i += width) buf.subarray(i, i + width).reverse();
    const data = dtype === 'float32' ? new Float32Array(buf.buffer, 0, size) : new Float64Array(buf.buffer, 0, size);
    entries.push([name, new Tensor(data, [...(shape as number[])])]);
  }
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (let i = 1; i < spans.length; i++) {
    const [pb, pe, pn] = spans[i - 1] as [number, number, string];
    const [b, e, nm] = spans[i] as [number, number, string];
    if (b < pe && e > b && pe > pb) throw new CheckpointError(`data_offsets [${b}, ${e}] overlap those of ${JSON.stringify(pn)} [${pb}, ${pe}]`, file, nm, 'offsets');
  }
  return { entries, metadata };
}

/**
 * Read `path` (a safetensors file, e.g. from `saveState` or `saveCheckpoint`) into the model's parameters and return
 * the header's `__metadata__`. Entries whose name holds a '/' (a checkpoint's optimizer state and extra tensors, never
 * a module's parameter name) are not parameters and are skipped. The file and its match with the model (same names,
 * shapes and dtypes) are checked in full before any parameter is written; a CheckpointError names the file and the tensor, and leaves the model untouched.
 */
export function loadState(model: HasParameters, path: string): Record<string, string> {
  const params = modelParams(model, typeof path === 'string' ? path : null);
  const file = checkPath(path, 'loadState', false);
  const { entries, metadata } = readFile(file);
  applyState(params, entries.filter(([n]) => !n.includes('/')), file);
  return metadata;
}

/** The decoded contents of a safetensors file (CheckpointError 'io' when it cannot be read). */
export function readFile(file: string): { entries: [string, Tensor][]; metadata: Record<string, string> } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new CheckpointError(`cannot read the checkpoint: ${(e as Error).message}`, file, null, 'io');
  }
  return decodeSafetensors(bytes, file);
}
