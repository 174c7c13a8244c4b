import Link from 'next/link';
import { Badge, Card, Empty, PageTitle, Table, Td, pct } from '@/components/ui';
import { assertCourseAccess, lecturerScope } from '@/lib/auth/access';
import { forPage, requirePageUser } from '@/lib/auth/page';
import { addDays, localDate, parseQuery } from '@/lib/dashboard/query';
import { reportQuery } from '@/lib/dashboard/schemas';
import { listCoursesWithCounts } from '@/lib/data/course-admin';
import { getCourseOrThrow } from '@/lib/data/courses';
import { sessionMatrix } from '@/lib/data/report-matrix';
import { attendanceReport } from '@/lib/data/reports';
import { getI18n } from '../i18n';
import { SessionMatrixCard } from './session-matrix';

export const dynamic = 'force-dynamic';

export default async function ReportsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requirePageUser(undefined, '/reports');
  const { t } = await getI18n();
  const today = localDate();
  const raw = { from: addDays(today, -30), to: today, ...(await searchParams) };
  const q = parseQuery(
    new URLSearchParams(raw),
    reportQuery.omit({ format: true }).catch({ from: addDays(today, -30), to: today, threshold: 75 }),
  );
  const scope = lecturerScope(user);
  if (q.courseId) await forPage(async () => assertCourseAccess(user, await getCourseOrThrow(q.courseId!)));
  const [report, courses, matrix] = await Promise.all([
    attendanceReport({ ...q, lecturerId: scope }),
    listCoursesWithCounts(scope),
    q.courseId ? sessionMatrix({ courseId: q.courseId, from: q.from, to: q.to }) : null,
  ]);
  const matrixQs = (format: string) =>
    `/api/reports/matrix?${new URLSearchParams({ courseId: q.courseId ?? '', from: q.from, to: q.to, format })}`;
  const exportQs = (format: string) =>
    `/api/reports?${new URLSearchParams({ from: q.from, to: q.to, threshold: String(q.threshold), ...(q.courseId ? { courseId: q.courseId } : {}), format })}`;
  const field = 'rounded-md border border-slate-300 px-2 py-1';
  return (
    <>
      <PageTitle
        actions={
          <div className="flex gap-2 text-sm">
            <a
              className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100"
              href={exportQs('csv')}
              data-testid="export-csv"
            >
              {t('reports.exportCsv')}
            </a>
            <a className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100" href={exportQs('xlsx')}>
              {t('reports.exportXlsx')}
            </a>
          </div>
        }
      >
        {t('reports.title')}
      </PageTitle>
      <Card>
        <form method="get" className="flex flex-wrap items-end gap-3 text-sm">
          <label>
            {t('reports.from')} <input type="date" name="from" defaultValue={q.from} className={field} />
          </label>
          <label>
            {t('reports.to')} <input type="date" name="to" defaultValue={q.to} className={field} />
          </label>
          <label>
            {t('common.course')}{' '}
            <select name="courseId" defaultValue={q.courseId ?? ''} className={field}>
              <option value="">—</option>
              {courses.map((c) => (
                <option key={c.courseId} value={c.courseId}>
                  {c.code}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('reports.threshold')}{' '}
            <input
              type="number"
              name="threshold"
              min={0}
              max={100}
              defaultValue={q.threshold}
              className={`${field} w-20`}
            />{' '}
            %
          </label>
          <button className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100">
            {t('common.search')}
          </button>
        </form>
      </Card>
      <Card title={t('reports.perCourse')}>
        {report.courses.length === 0 ? (
          <Empty>{t('common.none')}</Empty>
        ) : (
          <Table
            head={[
              t('courses.code'),
              t('common.name'),
              t('reports.sessions'),
              t('courses.enrolled'),
              t('reports.attended'),
              t('common.rate'),
            ]}
          >
            {report.courses.map((c) => (
              <tr key={c.courseId}>
                <Td>{c.courseCode}</Td>
                <Td>{c.courseName}</Td>
                <Td>{c.sessions}</Td>
                <Td>{c.enrolled}</Td>
                <Td>{c.attended}</Td>
                <Td>{pct(c.rate)}</Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      {matrix ? (
        <SessionMatrixCard matrix={matrix} t={t} linkStudents={user.role === 'admin'} exportHref={matrixQs} />
      ) : (
        <Card title={t('reports.matrix')}>
          <p className="text-sm text-slate-600">{t('reports.matrixHint')}</p>
        </Card>
      )}
      <Card title={t('reports.perStudent')}>
        {report.students.length === 0 ? (
          <Empty>{t('common.none')}</Empty>
        ) : (
          <Table
            head={[
              t('courses.code'),
              t('common.number'),
              t('common.name'),
              t('reports.sessions'),
              t('reports.attended'),
              t('common.rate'),
            ]}
          >
            {report.students.map((s) => {
              const below = s.rate !== null && s.rate * 100 < q.threshold;
              return (
                <tr
                  key={`${s.courseId}:${s.studentId}`}
                  className={below ? 'bg-red-50' : undefined}
                  data-below={below ? 'yes' : undefined}
                >
                  <Td>{s.courseCode}</Td>
                  <Td>{s.studentNumber ?? '—'}</Td>
                  <Td>
                    {user.role === 'admin' ? (
                      <Link className="text-blue-700 hover:underline" href={`/students/${s.studentId}`}>
                        {s.name}
                      </Link>
                    ) : (
                      s.name
                    )}
                  </Td>
                  <Td>{s.sessions}</Td>
                  <Td>{s.attended}</Td>
                  <Td>
                    {pct(s.rate)} {below ? <Badge tone="red">{t('reports.below')}</Badge> : null}
                  </Td>
                </tr>
              );
            })}
          </Table>
        )}
      </Card>
    </>
  );
}
