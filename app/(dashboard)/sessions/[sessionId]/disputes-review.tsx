import { ActionButton } from '@/components/forms/action-button';
import { Badge, Card, fmtTime } from '@/components/ui';
import { listDisputesForSession } from '@/lib/data/disputes';
import { statusText, type Lang, type Translate } from '@/lib/i18n/dictionary';

const STATE_TONE = { open: 'amber', accepted: 'green', declined: 'slate' } as const;

/**
 * The session's disputes from students, in its review area: open ones with Accept (marks present for
 * "I was there", absent for "that was not me") and Decline, resolved ones with their outcome. The
 * page has already checked that the user may see the session.
 */
export async function DisputesReview({ sessionId, lang, t }: { sessionId: string; lang: Lang; t: Translate }) {
  const disputes = await listDisputesForSession(sessionId);
  if (disputes.length === 0) return null;
  return (
    <Card title={t('disputes.title')}>
      <ul className="divide-y divide-slate-100" data-testid="disputes">
        {disputes.map((d) => (
          <li key={d.disputeId} className="py-3 text-sm" data-dispute={d.disputeId}>
            <div className="flex flex-wrap items-center gap-2">
              <span className="font-medium break-words">{d.studentName}</span>
              {d.studentNumber ? <span className="text-slate-500">{d.studentNumber}</span> : null}
              <Badge tone={STATE_TONE[d.state]}>
                {d.kind === 'was_there' ? t('me.disputeWasThere') : t('me.disputeNotMe')}
              </Badge>
              <span className="text-slate-500">{fmtTime(d.createdAt, lang)}</span>
            </div>
            <p className="mt-1 break-words whitespace-pre-wrap">{d.text}</p>
            <p className="mt-1 text-slate-600">
              {t('disputes.now', { status: statusText(t, d.currentStatus ?? 'absent') })}
              {d.state !== 'open' ? ` · ${t(`me.dispute.${d.state}`)}` : null}
            </p>
            {d.state === 'open' ? (
              <div className="mt-2 flex flex-wrap gap-2">
                <ActionButton
                  method="POST"
                  url={`/api/sessions/${sessionId}/disputes/${d.disputeId}`}
                  body={{ decision: 'accept' }}
                  label={d.kind === 'was_there' ? t('disputes.acceptPresent') : t('disputes.acceptAbsent')}
                  variant="primary"
                />
                <ActionButton
                  method="POST"
                  url={`/api/sessions/${sessionId}/disputes/${d.disputeId}`}
                  body={{ decision: 'decline' }}
                  label={t('disputes.decline')}
                />
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </Card>
  );
}
