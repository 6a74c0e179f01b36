/**
 * A classification data set from a CSV file: a header row naming the columns, one sample per row, every column a
 * number except the label column (an integer class 0, 1, …). Loaded into one Float32Array (row-major, the feature
 * columns in file order) and an Int32Array of labels. Every bad row is a CsvError naming the file, the line and the
 * column.
 */
import { readFileSync } from 'node:fs';
import { DomainError, describe } from '../../core/errors.js';
import { checkedOptions, optionKeys, positiveIntParam } from '../../init/index.js';
import { classificationDataset, type ClassLabels, type Dataset } from './dataset.js';
import { DataFileError } from './idx.js';

/** A malformed CSV file: `line` is 1-based, `column` the column's header name (null for a whole-row fault). */
export class CsvError extends DataFileError {
  constructor(
    file: string,
    readonly line: number,
    readonly column: string | null,
    problem: string,
  ) {
    super(String(file), `line ${line}${typeof column === 'string' ? `, column ${JSON.stringify(column)}` : ''}: ${String(problem)}`);
  }
}

/** Options of `parseCsv` and `loadCsv`. */
export interface CsvOptions {
  /** Header name of the label column; default 'label'. */
  readonly labelColumn?: string;
  /** Number of classes; default max(label) + 1. Every label must be below it. */
  readonly classes?: number;
}

const CSV_KEYS = optionKeys<CsvOptions>({ labelColumn: true, classes: true });
/** Largest label: the labels are stored as Int32. */
const MAX_LABEL = 2 ** 31 - 2;
const FLOAT32_MAX = 3.4028234663852886e38;

/** The fields of one line (RFC 4180 quoting: "a, b" is one field, "" inside quotes is a quote; no newlines in fields). */
function splitLine(text: string, file: string, line: number): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new CsvError(file, line, null, 'a quoted field is not closed (no closing ")');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            v += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += text[i++];
      }
      if (i < text.length && text[i] !== ',') throw new CsvError(file, line, null, `unexpected ${describe(text[i])} after a quoted field`);
      out.push(v);
    } else {
      const end = text.indexOf(',', i);
      out.push((end < 0 ? text.slice(i) : text.slice(i, end)).trim());
      i = end < 0 ? text.length : end;
    }
    if (i >= text.length) return out;
    i++; // the comma
  }
}

function parseOptions(options: unknown, fn: string): { labelColumn: string; classes: number | undefined } {
  const o = checkedOptions(fn, options, CSV_KEYS);
  const labelColumn = o['labelColumn'] ?? 'label';
  if (typeof labelColumn !== 'string' || labelColumn === '') throw new DomainError(`options.labelColumn must be a non-empty column name, got ${describe(labelColumn)}`);
  const classes = o['classes'] === undefined ? undefined : positiveIntParam('options.classes', o['classes']);
  return { labelColumn, classes };
}

/**
 * Parse CSV `text` (`file` names it in errors) into a classification dataset of shape [rows, columns − 1]. The
 * header must name `options.labelColumn` (default 'label') once, names must be distinct, every row must have the
 * header's number of fields, every feature a finite number within float32 range, every label an integer in
 * [0, classes). Blank lines at the end are ignored, a blank line elsewhere is an error.
 */
export function parseCsv(text: string, file: string, options: CsvOptions = {}): Dataset<ClassLabels> {
  if (typeof file !== 'string') throw new DomainError(`file must be a string (the name of the source, for errors), got ${describe(file)}`);
  if (typeof text !== 'string') throw new DomainError(`text must be a string (the CSV contents), got ${describe(text)}`);
  const { labelColumn, classes } = parseOptions(options, 'parseCsv');
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && (lines[lines.length - 1] as string).trim() === '') lines.pop();
  if (lines.length === 0) throw new CsvError(file, 1, null, 'the file is empty; expected a header row naming the columns');
  const header = splitLine(lines[0] as string, file, 1);
  header.forEach((h, j) => {
    if (h === '') throw new CsvError(file, 1, null, `column ${j + 1} of the header has no name`);
    if (header.indexOf(h) !== j) throw new CsvError(file, 1, h, 'the column name appears twice in the header');
  });
  const labelAt = header.indexOf(labelColumn);
  if (labelAt < 0) throw new CsvError(file, 1, null, `no label column ${JSON.stringify(labelColumn)} in the header; columns: ${header.join(', ')}`);
  if (header.length < 2) throw new CsvError(file, 1, null, 'the header names only the label column; at least one feature column is needed');
  const n = lines.length - 1;
  if (n === 0) throw new CsvError(file, 2, null, 'no data rows after the header');
  const d = header.length - 1;
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  let maxLabel = 0;
  for (let r = 0; r < n; r++) {
    const line = r + 2;
    const raw = lines[r + 1] as string;
    if (raw.trim() === '') throw new CsvError(file, line, null, 'blank line inside the data');
    const fields = splitLine(raw, file, line);
    if (fields.length !== header.length) throw new CsvError(file, line, null, `${fields.length} field(s), the header has ${header.length}`);
    let k = r * d;
    fields.forEach((f, j) => {
      const col = header[j] as string;
      if (f === '') throw new CsvError(file, line, col, 'empty value');
      const v = Number(f);
      if (j === labelAt) {
        if (!Number.isInteger(v) || v < 0 || v > (classes === undefined ? MAX_LABEL : classes - 1)) {
          throw new CsvError(file, line, col, `label ${describe(f)} must be an integer class in [0, ${classes === undefined ? MAX_LABEL : classes - 1}]`);
        }
        y[r] = v;
        maxLabel = Math.max(maxLabel, v);
        return;
      }
      if (!Number.isFinite(v)) throw new CsvError(file, line, col, `${describe(f)} is not a finite number`);
      if (Math.abs(v) > FLOAT32_MAX) throw new CsvError(file, line, col, `${f} is outside the float32 range (±3.4e38)`);
      x[k++] = v;
    });
  }
  return classificationDataset(x, [n, d], y, classes ?? maxLabel + 1);
}

/** Read and parse a CSV file (see `parseCsv`); a missing or unreadable file is a DataFileError naming it. */
export function loadCsv(file: string, options: CsvOptions = {}): Dataset<ClassLabels> {
  if (typeof file !== 'string' || file.length === 0) throw new DomainError(`file must be a non-empty path string, got ${describe(file)}`);
  parseOptions(options, 'loadCsv');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new DataFileError(file, code === 'ENOENT' ? 'file not found' : `cannot be read (${typeof code === 'string' ? code : (e as Error).message})`);
  }
  return parseCsv(text, file, options);
}
