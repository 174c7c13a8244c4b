import { describe, expect, it } from 'vitest';
import { csvCell, csvLines, parseCsv } from './csv';

describe('csv', () => {
  it('quotes separators, quotes and newlines, and defuses formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(-3)).toBe('-3');
    expect(
      csvLines([
        ['a', 1],
        ['b', null],
      ]),
    ).toBe('a,1\r\nb,\r\n');
  });

  it('parses quoted cells across lines, keeps the line where each record starts, skips blank lines', () => {
    const records = parseCsv('\uFEFFnumber,name\r\nS1,"Doe, Jane"\n\nS2,"two\nlines"\nS3,"a ""quote"""\n');
    expect(records).toEqual([
      { line: 1, cells: ['number', 'name'] },
      { line: 2, cells: ['S1', 'Doe, Jane'] },
      { line: 4, cells: ['S2', 'two\nlines'] },
      { line: 6, cells: ['S3', 'a "quote"'] },
    ]);
  });

  it('reads semicolon files (spreadsheets in many locales) and refuses an unclosed quote', () => {
    expect(parseCsv('nim;nama\nS1;Budi')).toEqual([
      { line: 1, cells: ['nim', 'nama'] },
      { line: 2, cells: ['S1', 'Budi'] },
    ]);
    expect(() => parseCsv('a,b\n1,"open\n2,3')).toThrow('Line 2: a quote (") is opened and never closed.');
  });

  it('round-trips what it writes', () => {
    const rows = [['x', 'with,comma', 'with "q"', 'multi\nline']];
    expect(parseCsv(csvLines(rows)).map((r) => r.cells)).toEqual(rows);
  });
});
