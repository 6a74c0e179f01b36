/**
 * The IDX file format of the MNIST distribution (LeCun, Cortes & Burges, http://yann.lecun.com/exdb/mnist/):
 *
 *     bytes 0–1   0x00 0x00
 *     byte  2     element type (0x08 = unsigned byte, the only one MNIST uses)
 *     byte  3     rank r (1 for labels, 3 for images)
 *     r × uint32  dimensions, big-endian
 *     data        Π dims elements, row-major
 *
 * Parsing checks every one of these and names the file and what was wrong.
 */
import { readFileSync } from 'node:fs';
import { DomainError, InitlabError, describe } from '../../core/errors.js';
import { checkedOptions, nonNegativeIntParam } from '../../init/index.js';

/** A data file that is missing, unreadable or not in the expected format; `file` names it, `reason` says why. */
export class DataFileError extends InitlabError {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** A parsed IDX file of unsigned bytes: its dimensions and its elements (a view into the file's bytes). */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/** What an IDX file must hold: its rank and, optionally, required dimensions (null: any size). */
export interface IdxExpectation {
  readonly rank: number;
  readonly dims?: readonly (number | null)[];
}

const hex = (x: number): string => `0x${x.toString(16).padStart(8, '0')}`;

/** The largest IDX rank: the rank is one byte of the magic number. */
const IDX_MAX_RANK = 255;

/** Check `expect` (an IdxExpectation as the caller wrote it to `fn`): a rank in [0, 255] and at most rank wanted dimensions. */
function parseExpectation(expect: unknown, fn: string): { r: number; dimsWanted: readonly (number | null)[] } {
  const o = checkedOptions(fn, expect, ['rank', 'dims'], 'expect');
  const r = nonNegativeIntParam('expect.rank', o['rank']);
  if (r > IDX_MAX_RANK) throw new DomainError(`expect.rank must be an integer in [0, ${IDX_MAX_RANK}] (one byte of the IDX magic number), got ${describe(r)}`);
  const dims = o['dims'];
  if (dims === undefined) return { r, dimsWanted: [] };
  if (!Array.isArray(dims) || dims.length > r) {
    throw new DomainError(`expect.dims must be an array of at most expect.rank = ${r} entries (a dimension or null for any), got ${describe(dims)}`);
  }
  dims.forEach((d: unknown, k) => {
    if (d !== null && (typeof d !== 'number' || !Number.isInteger(d) || d < 0)) {
      throw new DomainError(`expect.dims[${k}] must be a non-negative integer or null (any size), got ${describe(d)}`);
    }
  });
  return { r, dimsWanted: dims as (number | null)[] };
}

/**
 * Parse IDX bytes of unsigned-byte elements, checking the magic number (0x0000 08 r with the expected rank r), the
 * dimensions against `expect.dims` and that the length is exactly header + Π dims bytes (truncated or trailing data
 * is an error). `file` names the source in errors (DataFileError). Arguments of the wrong kind (`bytes` not a
 * Uint8Array, `file` not a string, `expect.rank` not an integer in [0, 255], `expect.dims` longer than the rank or
 * holding anything but non-negative integers and null) are DomainErrors naming them.
 */
export function parseIdx(bytes: Uint8Array, file: string, expect: IdxExpectation): IdxArray {
  if (typeof file !== 'string') throw new DomainError(`file must be a string (the name of the source, for errors), got ${describe(file)}`);
  if (!(bytes instanceof Uint8Array)) throw new DomainError(`bytes must be a Uint8Array (the file's contents), got ${describe(bytes)}`);
  return parseChecked(bytes, file, parseExpectation(expect, 'parseIdx'));
}

/** `parseIdx` on checked arguments. */
function parseChecked(bytes: Uint8Array, file: string, { r, dimsWanted }: { r: number; dimsWanted: readonly (number | null)[] }): IdxArray {
  const wanted = 0x800 + r;
  if (bytes.length < 4) throw new DataFileError(file, `truncated: ${bytes.length} byte(s), shorter than the 4-byte IDX magic number`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== wanted) {
    throw new DataFileError(
      file,
      `bad magic number ${hex(magic)}, expected ${hex(wanted)} (IDX, unsigned bytes, ${r} dimension${r === 1 ? '' : 's'})`,
    );
  }
  const header = 4 + 4 * r;
  if (bytes.length < header) throw new DataFileError(file, `truncated header: ${bytes.length} bytes, the ${r} dimension(s) need ${header}`);
  const dims: number[] = [];
  for (let k = 0; k < r; k++) dims.push(view.getUint32(4 + 4 * k));
  dimsWanted.forEach((want, k) => {
    if (want !== null && dims[k] !== want) {
      throw new DataFileError(file, `dimension ${k} is ${dims[k]}, expected ${want} (dims [${dims.join(', ')}])`);
    }
  });
  const size = dims.reduce((a, b) => a * b, 1);
  const have = bytes.length - header;
  if (have < size) throw new DataFileError(file, `truncated: dims [${dims.join(', ')}] need ${size} data bytes, the file has ${have}`);
  if (have > size) throw new DataFileError(file, `${have - size} trailing byte(s) after the ${size} data bytes of dims [${dims.join(', ')}]`);
  return { dims, data: bytes.subarray(header) };
}

/**
 * Read and parse an IDX file (see `parseIdx`); a missing or unreadable file is a DataFileError naming it. `file` must
 * be a non-empty path string (a number would be taken for a file descriptor: `readIdx(0, …)` would read stdin) and
 * `expect` is checked before anything is read (DomainErrors naming them).
 */
export function readIdx(file: string, expect: IdxExpectation): IdxArray {
  if (typeof file !== 'string' || file.length === 0) throw new DomainError(`file must be a non-empty path string, got ${describe(file)}`);
  const expectation = parseExpectation(expect, 'readIdx');
  let bytes: Uint8Array;
  try {
    const buf = readFileSync(file);
    // A plain Uint8Array view: indexing a Node Buffer in a hot loop is several times slower.
    bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new DataFileError(file, code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? (e as Error).message})`);
  }
  return parseChecked(bytes, file, expectation);
}
