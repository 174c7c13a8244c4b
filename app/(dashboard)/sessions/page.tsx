import Link from 'next/link';
import { ActionButton } from '@/components/forms/action-button';
import { JsonForm } from '@/components/forms/json-form';
import { Badge, Card, Empty, PageTitle, Table, Td, fmtTime, pct } from '@/components/ui';
import { lecturerScope } from '@/lib/auth/access';
import { requirePageUser } from '@/lib/auth/page';
import { addDays, localDate, parseQuery } from '@/lib/dashboard/query';
import { sessionRangeQuery } from '@/lib/dashboard/schemas';
import { listCoursesWithCounts } from '@/lib/data/course-admin';
import { listCameraStates } from '@/lib/data/cameras';
import { listSessionsWithCounts } from '@/lib/data/session-admin';
import { statusText } from '@/lib/i18n/dictionary';
import { getI18n } from '../i18n';

export const dynamic = 'force-dynamic';

export default async function SessionsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requirePageUser(undefined, '/sessions');
  const { lang, t } = await getI18n();
  const q = parseQuery(new URLSearchParams(await searchParams), sessionRangeQuery.catch({}));
  const today = localDate();
  const from = q.from ?? addDays(today, -7);
  const to = q.to ?? addDays(today, 14);
  const scope = lecturerScope(user);
  const [sessions, courses, cameras] = await Promise.all([
    listSessionsWithCounts({ from, to, lecturerId: scope }),
    listCoursesWithCounts(scope),
    listCameraStates(),
  ]);
  // A lecturer may only pick a camera in one of their courses' rooms (the API refuses others).
  const rooms = new Set(courses.map((c) => c.room?.trim().toLowerCase()).filter(Boolean));
  const pickable = scope ? cameras.filter((c) => c.room && rooms.has(c.room.trim().toLowerCase())) : cameras;
  return (
    <>
      <PageTitle>{t('sessions.title')}</PageTitle>
      <Card>
        <form method="get" className="mb-4 flex flex-wrap items-end gap-2 text-sm">
          <label>
            {t('reports.from')}{' '}
            <input
              type="date"
              name="from"
              defaultValue={from}
              className="rounded-md border border-slate-300 px-2 py-1"
            />
          </label>
          <label>
            {t('reports.to')}{' '}
            <input type="date" name="to" defaultValue={to} className="rounded-md border border-slate-300 px-2 py-1" />
          </label>
          <button className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100">
            {t('common.search')}
          </button>
        </form>
        {sessions.length === 0 ? (
          <Empty>{t('sessions.empty')}</Empty>
        ) : (
          <Table
            head={[
              t('common.course'),
              t('sessions.starts'),
              t('sessions.ends'),
              t('common.room'),
              t('common.camera'),
              t('common.status'),
              t('common.rate'),
              '',
            ]}
          >
            {sessions.map((s) => (
              <tr key={s.sessionId}>
                <Td>
                  <Link className="text-blue-700 hover:underline" href={`/sessions/${s.sessionId}`}>
                    {s.courseCode}
                  </Link>
                </Td>
                <Td>{fmtTime(s.startsAt, lang)}</Td>
                <Td>{fmtTime(s.endsAt, lang)}</Td>
                <Td>{s.room ?? '—'}</Td>
                <Td>{s.cameraName ?? '—'}</Td>
                <Td>
                  <Badge tone={s.status === 'open' ? 'green' : s.status === 'cancelled' ? 'red' : 'slate'}>
                    {statusText(t, s.status)}
                  </Badge>
                </Td>
                <Td>{pct(s.enrolled > 0 ? s.attended / s.enrolled : null)}</Td>
                <Td className="flex gap-2">
                  {s.status !== 'open' ? (
                    <ActionButton
                      method="POST"
                      url={`/api/sessions/${s.sessionId}/start`}
                      label={t('sessions.startNow')}
                    />
                  ) : null}
                  {s.status === 'open' ? (
                    <ActionButton
                      method="POST"
                      url={`/api/sessions/${s.sessionId}/stop`}
                      label={t('sessions.stopNow')}
                    />
                  ) : null}
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <Card title={t('sessions.schedule')}>
        {courses.length === 0 ? (
          <Empty>{t('common.none')}</Empty>
        ) : (
          <JsonForm
            url="/api/sessions"
            submitLabel={t('common.create')}
            testId="schedule-session"
            confirmPast={{ field: 'startsAt', message: t('sessions.confirmPast') }}
            fields={[
              {
                name: 'courseId',
                label: t('common.course'),
                type: 'select',
                required: true,
                options: courses.map((c) => ({ value: c.courseId, label: `${c.code} — ${c.courseName}` })),
              },
              {
                name: 'cameraId',
                label: t('nav.cameras'),
                type: 'select',
                options: pickable.map((c) => ({ value: c.cameraId, label: c.name })),
              },
              { name: 'startsAt', label: t('sessions.starts'), type: 'datetime-local', as: 'date', required: true },
              { name: 'endsAt', label: t('sessions.ends'), type: 'datetime-local', as: 'date', required: true },
              { name: 'room', label: t('common.room') },
            ]}
          />
        )}
      </Card>
    </>
  );
}
