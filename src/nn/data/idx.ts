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
import { InitlabError } from '../../core/errors.js';

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

/**
 * Parse IDX bytes of unsigned-byte elements, checking the magic number (0x0000 08 r with the expected rank r), the
 * dimensions against `expect.dims` and that the length is exactly header + Π dims bytes (truncated or trailing data
 * is an error). `file` names the source in errors (DataFileError).
 */
export function parseIdx(bytes: Uint8Array, file: string, expect: IdxExpectation): IdxArray {
  const r = expect.rank;
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
  expect.dims?.forEach((want, k) => {
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

/** Read and parse an IDX file (see `parseIdx`); a missing or unreadable file is a DataFileError naming it. */
export function readIdx(file: string, expect: IdxExpectation): IdxArray {
  let bytes: Uint8Array;
  try {
    const buf = readFileSync(file);
    // A plain Uint8Array view: indexing a Node Buffer in a hot loop is several times slower.
    bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new DataFileError(file, code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? (e as Error).message})`);
  }
  return parseIdx(bytes, file, expect);
}
