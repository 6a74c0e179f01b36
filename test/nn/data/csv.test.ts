/**
 * The CSV loader: a header, a label column, numeric features in file order; every malformed row a CsvError naming the
 * file, the line and the column.
 */
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError } from '../../../src/core/errors.js';
import { CsvError, DataFileError, loadCsv, parseCsv } from '../../../src/nn/index.js';

describe('nn/data: CSV', () => {
  it('parses features in file order around the label column, labels as Int32, classes = max + 1', () => {
    const d = parseCsv('a,label,b\n1,2,3.5\n-4e-1,0,"6"\n\n', 'x.csv');
    expect(d.shape).to.deep.equal([2, 2]);
    expect(Array.from(d.x)).to.deep.equal([1, 3.5, Math.fround(-0.4), 6]);
    expect(d.y.values).to.be.instanceOf(Int32Array);
    expect(Array.from(d.y.values)).to.deep.equal([2, 0]);
    expect(d.y.classes).to.equal(3);
  });

  it('takes the label column by name, quoted fields with commas and quotes, CRLF lines, and a class count', () => {
    const d = parseCsv('"x, one",y,"class ""id"""\r\n1,2,1\r\n3,4,0\r\n', 'q.csv', { labelColumn: 'class "id"', classes: 4 });
    expect(Array.from(d.x)).to.deep.equal([1, 2, 3, 4]);
    expect(d.y.classes).to.equal(4);
  });

  const bad: [string, Parameters<typeof parseCsv>[2], number, string | null, string][] = [
    ['', {}, 1, null, 'the file is empty; expected a header row naming the columns'],
    ['a,b\n1,2\n', {}, 1, null, 'no label column "label" in the header; columns: a, b'],
    ['label\n1\n', {}, 1, null, 'the header names only the label column; at least one feature column is needed'],
    ['a,a,label\n1,2,0\n', {}, 1, 'a', 'the column name appears twice in the header'],
    ['a,label\n', {}, 2, null, 'no data rows after the header'],
    ['a,label\n1,0\n2\n', {}, 3, null, '1 field(s), the header has 2'],
    ['a,label\n1,0\n\n2,1\n', {}, 3, null, 'blank line inside the data'],
    ['a,label\n1,0\nabc,1\n', {}, 3, 'a', '"abc" is not a finite number'],
    ['a,label\n1,0\n,1\n', {}, 3, 'a', 'empty value'],
    ['a,label\n1e39,0\n', {}, 2, 'a', '1e39 is outside the float32 range (±3.4e38)'],
    ['a,label\n1,-1\n', {}, 2, 'label', 'label "-1" must be an integer class in [0, 2147483646]'],
    ['a,label\n1,0.5\n', {}, 2, 'label', 'label "0.5" must be an integer class in [0, 2147483646]'],
    ['a,label\n1,3\n', { classes: 3 }, 2, 'label', 'label "3" must be an integer class in [0, 2]'],
    ['a,label\n"1,0\n', {}, 2, null, 'a quoted field is not closed (no closing ")'],
  ];
  for (const [text, options, line, column, problem] of bad) {
    it(`CsvError at line ${line}${column === null ? '' : ` column ${column}`}: ${problem}`, () => {
      let e: unknown;
      try {
        parseCsv(text, 'data.csv', options);
      } catch (err) {
        e = err;
      }
      expect(e).to.be.instanceOf(CsvError).and.instanceOf(DataFileError);
      const c = e as CsvError;
      expect([c.file, c.line, c.column]).to.deep.equal(['data.csv', line, column]);
      expect(c.message).to.equal(`data.csv: line ${line}${column === null ? '' : `, column ${JSON.stringify(column)}`}: ${problem}`);
    });
  }

  it('loadCsv reads a file; a missing file is a DataFileError, bad options DomainErrors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'initlab-csv-'));
    const f = join(dir, 'd.csv');
    writeFileSync(f, 'y,x\n1,0.25\n0,0.5\n');
    const d = loadCsv(f, { labelColumn: 'y' });
    expect(Array.from(d.x)).to.deep.equal([0.25, 0.5]);
    expect(() => loadCsv(join(dir, 'nope.csv'))).to.throw(DataFileError, `${join(dir, 'nope.csv')}: file not found`);
    expect(() => loadCsv(f, { labelColum: 'y' } as never)).to.throw(DomainError, 'unknown option options.labelColum for loadCsv (did you mean labelColumn?)');
    expect(() => parseCsv('a,label\n1,0\n', 'x.csv', { classes: 0 })).to.throw(DomainError, 'options.classes');
  });
});
