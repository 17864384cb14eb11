import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { readTable, splitPlainCsv } from './read-table.ts';

// A CSV without quotes is split by hand (a few times faster than csv-parse on a big
// import); it must read exactly as csv-parse reads it, and anything else goes to csv-parse.

const csvParse = (text: string, delimiter: string) => parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, bom: true, trim: true }) as string[][];

describe('reading CSV', () => {
  test('a CSV without quotes reads as csv-parse reads it: line endings, blank lines, spaces, delimiters', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pieces = ['a', 'ф', 'م', ',', ';', '\t', ' ', '\n', '\r', '\r\n', '\f', '\u00a0', '\u2003', '\v', '=', "'", '1'];
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      for (let j = Math.floor(random() * 14); j > 0; j--) text += pieces[Math.floor(random() * pieces.length)];
      for (const delimiter of [',', ';', '\t']) assert.deepEqual(splitPlainCsv(text, delimiter), csvParse(text, delimiter), JSON.stringify({ text, delimiter }));
    }
  });

  test('a CSV with a quote anywhere is left to csv-parse', async () => {
    assert.equal(splitPlainCsv('a,"b,c"\n', ','), null);
    const table = await readTable(Buffer.from('external_ref,given_name\n"R-1"," Anna, ""Ann"" "\nR-2,  Omar  \r\n'), 'csv');
    assert.deepEqual(table, { header: ['external_ref', 'given_name'], rows: [{ line: 2, cells: ['R-1', ' Anna, "Ann" '] }, { line: 3, cells: ['R-2', 'Omar'] }] });
  });
});
