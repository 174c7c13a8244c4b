import { describe, expect, it } from 'vitest';
import type { RosterImportResult } from '@/lib/enrollment/roster-plan';
import { photoCounts, unrecognisable } from './photo-counts';

const row = (result: 'created' | 'updated', photosAdded: number, photosKnown: number, rejected: number) =>
  ({
    line: 2,
    studentNumber: 'S1',
    name: 'A',
    studentId: 'x',
    result,
    coursesAdded: 0,
    photosAdded,
    photosKnown,
    rejected: Array.from({ length: rejected }, (_, i) => ({ file: `${i}.jpg`, reason: 'no face' })),
    warnings: [],
    problems: [],
    issues: [],
  }) satisfies RosterImportResult['rows'][number];

describe('roster import photo counts', () => {
  it('counts rejected photos as not enrolled', () => {
    const rows = [row('created', 20, 0, 4), row('updated', 4, 2, 0)];
    const summary = { created: 1, updated: 1, unchanged: 0, skipped: 0, photosAdded: 24, photosRejected: 4 };
    expect(photoCounts({ rows, summary })).toEqual({ enrolled: 26, rejected: 4 });
  });

  it('flags a new student with no accepted photo', () => {
    expect(unrecognisable(row('created', 0, 0, 2))).toBe(true);
    expect(unrecognisable(row('created', 1, 0, 2))).toBe(false);
    expect(unrecognisable(row('updated', 0, 0, 0))).toBe(false);
  });
});
