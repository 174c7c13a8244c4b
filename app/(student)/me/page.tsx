import type { Metadata } from 'next';
import Link from 'next/link';
import { getI18n } from '@/app/(dashboard)/i18n';
import { ActionButton } from '@/components/forms/action-button';
import { Badge, Card, Empty, fmtHourMinute, fmtTime, PageTitle } from '@/components/ui';
import { requirePageUser } from '@/lib/auth/page';
import { getMyDataSummary, listMyAttendance, type MySession } from '@/lib/data/student-self';
import { env } from '@/lib/env';
import { statusText, type Translate } from '@/lib/i18n/dictionary';
import { DisputeForm } from './dispute-form';

export const metadata: Metadata = { title: 'My attendance' };
export const dynamic = 'force-dynamic';

const TONE = { present: 'green', manual: 'green', late: 'amber', excused: 'blue', absent: 'red' } as const;

function DisputeState({ dispute, t }: { dispute: NonNullable<MySession['dispute']>; t: Translate }) {
  return <p className="mt-1 text-xs text-slate-600">{t(`me.dispute.${dispute.state}`)}</p>;
}

/** A student's own page: their courses with attendance per counted session, disputes, and their data. */
export default async function MyPage() {
  const user = await requirePageUser(['student'], '/me');
  const { lang, t } = await getI18n();
  const [courses, data] = await Promise.all([listMyAttendance(user.id), getMyDataSummary(user.id)]);
  const labels = {
    wasThere: t('me.disputeWasThere'),
    notMe: t('me.disputeNotMe'),
    text: t('me.disputeText'),
    send: t('me.disputeSend'),
    sent: t('me.disputeSent'),
    open: t('me.dispute'),
  };
  return (
    <div className="space-y-6">
      <PageTitle>{t('me.title')}</PageTitle>
      <p className="text-sm text-slate-600">{t('me.intro')}</p>
      {courses.length === 0 ? <Empty>{t('me.noCourses')}</Empty> : null}
      {courses.map((c) => (
        <Card
          key={c.courseId}
          title={
            <span className="break-words">
              {c.code} · {c.courseName}
            </span>
          }
        >
          {c.sessions.length === 0 ? (
            <p className="text-sm text-slate-500">{t('me.noSessions')}</p>
          ) : (
            <ul className="divide-y divide-slate-100" data-testid="my-sessions">
              {c.sessions.map((s) => (
                <li key={s.sessionId} className="py-3" data-session={s.sessionId}>
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <span className="text-sm">{fmtTime(s.startsAt, lang)}</span>
                    <span className="flex items-center gap-2 text-sm">
                      <Badge tone={TONE[s.status]}>{statusText(t, s.status)}</Badge>
                      {s.at && s.status !== 'absent' ? (
                        <span className="text-slate-600">{t('me.seenAt', { time: fmtHourMinute(s.at, lang) })}</span>
                      ) : null}
                    </span>
                  </div>
                  {s.dispute ? <DisputeState dispute={s.dispute} t={t} /> : null}
                  {s.dispute?.state !== 'open' ? (
                    <DisputeForm
                      sessionId={s.sessionId}
                      suggested={s.status === 'absent' ? 'was_there' : 'not_me'}
                      labels={labels}
                    />
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </Card>
      ))}
      {data ? (
        <Card title={t('me.dataTitle')}>
          <dl className="grid grid-cols-1 gap-x-4 gap-y-2 text-sm sm:grid-cols-2" data-testid="my-data">
            <dt className="text-slate-500">{t('me.photos')}</dt>
            <dd data-testid="my-photos">{data.photos}</dd>
            <dt className="text-slate-500">{t('me.templates')}</dt>
            <dd data-testid="my-templates">{data.templates}</dd>
            <dt className="text-slate-500">{t('me.enrolledAt')}</dt>
            <dd>{data.enrolledAt ? fmtTime(data.enrolledAt, lang) : t('me.notEnrolled')}</dd>
            <dt className="text-slate-500">{t('me.retention')}</dt>
            <dd>{t('me.retentionText', { n: env().BACKUP_KEEP })}</dd>
          </dl>
          <div className="mt-4 flex flex-wrap gap-3">
            <a
              href="/api/me/data-copy"
              download
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-100"
            >
              {t('me.download')}
            </a>
            {data.erasureRequestedAt ? (
              <p className="text-sm text-slate-700" data-testid="erasure-pending">
                {t('me.erasePending', { date: fmtTime(data.erasureRequestedAt, lang) })}
              </p>
            ) : data.photos + data.templates > 0 ? (
              <ActionButton
                method="POST"
                url="/api/me/erasure"
                label={t('me.erase')}
                confirmText={t('me.eraseConfirm')}
                variant="danger"
              />
            ) : null}
          </div>
        </Card>
      ) : null}
      <Card title={t('me.privacyTitle')}>
        <p className="text-sm text-slate-700">{t('me.privacyText')}</p>
        <p className="mt-3 text-sm">
          <Link href="/me/privacy" className="text-blue-700 hover:underline">
            {t('me.privacyMore')}
          </Link>
        </p>
      </Card>
    </div>
  );
}
