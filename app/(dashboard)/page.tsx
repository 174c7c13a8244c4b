import Link from 'next/link';
import { Badge, Card, Empty, PageTitle, Table, Td, fmtHourMinute, fmtTime, pct } from '@/components/ui';
import { lecturerScope } from '@/lib/auth/access';
import { requirePageUser } from '@/lib/auth/page';
import { attendanceRate, neverRun } from '@/lib/dashboard/overview-figures';
import { addDays, localDate } from '@/lib/dashboard/query';
import { countStudentsWithoutTemplates } from '@/lib/data/students';
import { listCameraStates } from '@/lib/data/cameras';
import { listSessionsWithCounts } from '@/lib/data/session-admin';
import { getSetupProgress } from '@/lib/data/setup-progress';
import { statusText } from '@/lib/i18n/dictionary';
import { getI18n } from './i18n';

export const dynamic = 'force-dynamic';

const PHONE_HIDDEN = 'hidden sm:table-cell';

export default async function OverviewPage() {
  const user = await requirePageUser(undefined, '/');
  const { lang, t } = await getI18n();
  const today = localDate();
  const scope = lecturerScope(user);
  // One query for the last 14 days: today's sessions, the two weeks' rates and the missed ones all come from it.
  const [cameras, setup, lastTwoWeeks, noTemplates] = await Promise.all([
    listCameraStates(),
    user.role === 'admin' ? getSetupProgress() : null,
    listSessionsWithCounts({ from: addDays(today, -13), to: today, lecturerId: scope, limit: 2000 }),
    countStudentsWithoutTemplates(scope),
  ]);
  const sessions = lastTwoWeeks.filter((s) => s.date === today);
  const weekStart = addDays(today, -6);
  const thisWeek = attendanceRate(lastTwoWeeks.filter((s) => s.date >= weekStart));
  const lastWeek = attendanceRate(lastTwoWeeks.filter((s) => s.date < weekStart));
  const missed = neverRun(lastTwoWeeks);
  const offline = cameras.filter((c) => !c.online).length;
  // A fresh install's checklist, for admins, until all three are done.
  const steps = setup
    ? (
        [
          ['camera', '/cameras', t('setup.camera')],
          ['roster', '/students/import', t('setup.roster')],
          ['timetable', '/courses', t('setup.timetable')],
        ] as const
      ).map(([key, href, label]) => ({ key, href, label, done: setup[key] }))
    : [];
  return (
    <>
      <PageTitle>
        {t('overview.title')}{' '}
        <span className="text-base font-normal text-slate-500">
          {new Date().toLocaleDateString(lang === 'id' ? 'id-ID' : 'en-GB', { dateStyle: 'full' })}
        </span>
      </PageTitle>
      <dl className="mb-6 grid grid-cols-2 gap-3 lg:grid-cols-4" data-testid="key-figures">
        {(
          [
            ['noTemplates', t('overview.noTemplates'), String(noTemplates), noTemplates > 0 ? '/students' : null],
            [
              'camerasOffline',
              t('overview.camerasOffline'),
              `${offline} / ${cameras.length}`,
              offline > 0 ? '/cameras' : null,
            ],
            ['sessionsToday', t('overview.sessionsToday'), String(sessions.length), null],
            [
              'weekRate',
              t('overview.weekRate'),
              `${pct(thisWeek)} (${t('overview.lastWeek')}: ${pct(lastWeek)})`,
              '/reports',
            ],
          ] as const
        ).map(([key, label, value, href]) => (
          <div
            key={key}
            data-figure={key}
            className="min-w-0 rounded-xl border border-slate-200 bg-white p-3 shadow-sm"
          >
            <dt className="text-xs text-slate-500">{label}</dt>
            <dd className="text-lg font-semibold break-words">
              {href ? (
                <Link className="hover:underline" href={href}>
                  {value}
                </Link>
              ) : (
                value
              )}
            </dd>
          </div>
        ))}
      </dl>
      {missed.length > 0 ? (
        <Card title={t('overview.neverRun')}>
          <ul className="space-y-1 text-sm" data-testid="never-run">
            {missed.map((s) => (
              <li key={s.sessionId}>
                <Link className="text-blue-700 hover:underline" href={`/sessions/${s.sessionId}`}>
                  {s.courseCode} — {fmtTime(s.startsAt, lang)} {s.room ?? ''}
                </Link>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      {steps.some((s) => !s.done) ? (
        <Card title={t('setup.title')}>
          <ul className="space-y-1 text-sm" data-testid="setup-checklist">
            {steps.map((s) => (
              <li key={s.key} data-step={s.key} data-done={String(s.done)} className="flex items-center gap-2">
                <span
                  aria-label={s.done ? t('setup.done') : t('setup.todo')}
                  className={s.done ? 'text-green-700' : 'text-slate-400'}
                >
                  {s.done ? '☑' : '☐'}
                </span>
                {s.done ? (
                  <span className="text-slate-500 line-through">{s.label}</span>
                ) : (
                  <Link className="text-blue-700 hover:underline" href={s.href}>
                    {s.label}
                  </Link>
                )}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card title={t('overview.sessions')}>
        {sessions.length === 0 ? (
          <Empty>{t('overview.noSessions')}</Empty>
        ) : (
          <Table
            head={[t('common.course'), t('common.time'), t('common.room'), t('common.status'), t('common.rate')]}
            headClass={[undefined, undefined, PHONE_HIDDEN, PHONE_HIDDEN]}
          >
            {[...sessions].reverse().map((s) => (
              <tr key={s.sessionId}>
                <Td className="min-w-28 wrap-anywhere">
                  <Link className="text-blue-700 hover:underline" href={`/sessions/${s.sessionId}`}>
                    {s.courseCode} — {s.courseName}
                  </Link>
                  {/* A phone shows the room and status here, not in their own columns. */}
                  <span className="mt-1 flex flex-wrap items-center gap-1 text-xs text-slate-500 sm:hidden">
                    {s.room ?? '—'}
                    <Badge tone={s.status === 'open' ? 'green' : 'slate'}>{statusText(t, s.status)}</Badge>
                  </span>
                </Td>
                {/* Today's list: the clock time says when (the date is in the title). */}
                <Td className="whitespace-nowrap">{fmtHourMinute(s.startsAt, lang)}</Td>
                <Td className={PHONE_HIDDEN}>{s.room ?? '—'}</Td>
                <Td className={PHONE_HIDDEN}>
                  <Badge tone={s.status === 'open' ? 'green' : 'slate'}>{statusText(t, s.status)}</Badge>
                </Td>
                <Td>
                  {pct(s.enrolled > 0 ? s.attended / s.enrolled : null)} ({s.attended}/{s.enrolled})
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <Card title={t('overview.cameras')}>
        {cameras.length === 0 ? (
          <Empty>{t('common.none')}</Empty>
        ) : (
          <ul className="grid gap-2 sm:grid-cols-3">
            {cameras.map((c) => (
              <li
                key={c.cameraId}
                className="flex min-w-0 items-center justify-between gap-2 rounded-md border border-slate-200 px-3 py-2 text-sm"
              >
                <span className="min-w-0 break-words">
                  {c.name} <span className="text-slate-500">{c.room}</span>
                </span>
                <Badge tone={c.online ? 'green' : 'red'}>
                  {c.online ? t('overview.online') : t('overview.offline')}
                </Badge>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
