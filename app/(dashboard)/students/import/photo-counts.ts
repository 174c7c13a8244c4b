import type { RosterImportResult } from '@/lib/enrollment/roster-plan';

type Row = RosterImportResult['rows'][number];

/** Photos enrolled (added now, or the same bytes enrolled before) and rejected: "30 of 30 enrolled" with 4 rejected was wrong. */
export function photoCounts(result: Pick<RosterImportResult, 'rows' | 'summary'>): {
  enrolled: number;
  rejected: number;
} {
  const enrolled = result.rows.reduce((n, r) => n + r.photosAdded + r.photosKnown, 0);
  return { enrolled, rejected: result.summary.photosRejected };
}

/** A new student none of whose photos was accepted cannot be recognised: not a plain green "created". */
export const unrecognisable = (r: Pick<Row, 'result' | 'photosAdded' | 'photosKnown'>): boolean =>
  r.result === 'created' && r.photosAdded + r.photosKnown === 0;
