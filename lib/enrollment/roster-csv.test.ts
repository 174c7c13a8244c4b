import { describe, expect, it } from 'vitest';
import { parseRosterCsv } from './roster-csv';

describe('parseRosterCsv', () => {
  it('maps the named columns (any order, English or Indonesian names) and splits course codes', () => {
    const rows = parseRosterCsv(
      'Email,Nama,NIM,Mata Kuliah,extra\nbudi@uni.id,Budi,S1, CS101 ;MA201  CS101,x\n,Siti,S2,,\n',
    );
    expect(rows).toEqual([
      { line: 2, studentNumber: 'S1', name: 'Budi', email: 'budi@uni.id', courses: ['CS101', 'MA201'] },
      { line: 3, studentNumber: 'S2', name: 'Siti', email: '', courses: [] },
    ]);
  });

  it('works without the optional columns', () => {
    expect(parseRosterCsv('student_number,name\nS1,A')).toEqual([
      { line: 2, studentNumber: 'S1', name: 'A', email: '', courses: [] },
    ]);
  });

  it('refuses a file without a header naming the columns, in words', () => {
    expect(() => parseRosterCsv('S1,Budi,budi@uni.id')).toThrow(
      'The first line of the roster must name its columns: student_number, name, email and, optionally, courses.',
    );
    expect(() => parseRosterCsv('')).toThrow('The roster file is empty.');
  });

  it('refuses an unclosed quote with its line', () => {
    expect(() => parseRosterCsv('student_number,name\nS1,"Budi\n')).toThrow(/Line 2: a quote/);
  });
});
