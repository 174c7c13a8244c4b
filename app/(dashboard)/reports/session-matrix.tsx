import Link from 'next/link';
import { Card, Empty, pct } from '@/components/ui';
import { sessionLabel } from '@/lib/dashboard/query';
import type { Mark, SessionMatrix } from '@/lib/data/report-matrix';
import type { Translate } from '@/lib/i18n/dictionary';
import { SessionRateChart } from './session-rate-chart';

const MARK_CLASS: Record<Mark, string> = {
  P: 'bg-green-100 text-green-800',
  L: 'bg-amber-100 text-amber-800',
  E: 'bg-indigo-100 text-indigo-800',
  A: 'bg-red-100 text-red-800',
};

/** The per-session matrix of one course: chart of the rate per session, then students × sessions. */
export function SessionMatrixCard({
  matrix,
  t,
  linkStudents,
  exportHref,
}: {
  matrix: SessionMatrix;
  t: Translate;
  linkStudents: boolean;
  exportHref: (format: 'csv' | 'xlsx') => string;
}) {
  const button = 'rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100';
  return (
    <Card title={t('reports.matrix')}>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2 text-sm">
        <p className="text-slate-600">{t('reports.legend')}</p>
        <div className="flex gap-2">
          <a className={button} href={exportHref('csv')} data-testid="matrix-csv">
            {t('reports.matrixCsv')}
          </a>
          <a className={button} href={exportHref('xlsx')} data-testid="matrix-xlsx">
            {t('reports.matrixXlsx')}
          </a>
        </div>
      </div>
      {matrix.sessions.length === 0 ? (
        <Empty>{t('reports.matrixEmpty')}</Empty>
      ) : (
        <>
          <h3 className="mb-1 text-sm font-medium">{t('reports.chartTitle')}</h3>
          <SessionRateChart
            title={t('reports.chartTitle')}
            points={matrix.sessions.map((s) => ({ sessionId: s.sessionId, label: sessionLabel(s), rate: s.rate }))}
          />
          <div className="mt-4 overflow-x-auto">
            <table className="text-left text-sm" data-testid="session-matrix">
              <thead className="border-b border-slate-200 text-slate-500">
                <tr>
                  <th className="sticky left-0 bg-white px-2 py-2 font-medium">{t('common.name')}</th>
                  <th className="px-2 py-2 font-medium">{t('common.number')}</th>
                  {matrix.sessions.map((s) => (
                    <th key={s.sessionId} className="px-1 py-2 text-center text-xs font-medium">
                      <Link
                        className="text-blue-700 hover:underline"
                        href={`/sessions/${s.sessionId}`}
                        data-testid="matrix-session"
                      >
                        {sessionLabel(s).slice(5).replace(' ', '\u00a0')}
                      </Link>
                    </th>
                  ))}
                  <th className="px-2 py-2 font-medium">{t('common.rate')}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {matrix.students.map((st) => (
                  <tr key={st.studentId} data-student={st.studentNumber ?? st.studentId}>
                    <td className="sticky left-0 bg-white px-2 py-1">
                      {linkStudents ? (
                        <Link className="text-blue-700 hover:underline" href={`/students/${st.studentId}`}>
                          {st.name}
                        </Link>
                      ) : (
                        st.name
                      )}
                    </td>
                    <td className="px-2 py-1">{st.studentNumber ?? '—'}</td>
                    {st.marks.map((mark, i) => (
                      <td key={matrix.sessions[i]!.sessionId} className="px-1 py-1 text-center">
                        <span className={`inline-block w-6 rounded text-xs font-semibold ${MARK_CLASS[mark]}`}>
                          {mark}
                        </span>
                      </td>
                    ))}
                    <td className="px-2 py-1 font-medium" data-testid="student-rate">
                      {pct(st.rate)}
                    </td>
                  </tr>
                ))}
                <tr className="border-t-2 border-slate-300 font-medium">
                  <td className="sticky left-0 bg-white px-2 py-1">{t('reports.ratePerSession')}</td>
                  <td />
                  {matrix.sessions.map((s) => (
                    <td key={s.sessionId} className="px-1 py-1 text-center text-xs" data-testid="session-rate">
                      {pct(s.rate)}
                    </td>
                  ))}
                  <td className="px-2 py-1">{pct(matrix.rate)}</td>
                </tr>
              </tbody>
            </table>
          </div>
        </>
      )}
    </Card>
  );
}
