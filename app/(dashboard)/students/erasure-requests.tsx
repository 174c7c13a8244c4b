import { ActionButton } from '@/components/forms/action-button';
import { Card, fmtTime } from '@/components/ui';
import { listErasureRequests } from '@/lib/data/student-accounts';
import type { Lang, Translate } from '@/lib/i18n/dictionary';

/** Students' own erasure requests waiting for an admin (the students page is admins' only); nothing when none. */
export async function ErasureRequests({ lang, t }: { lang: Lang; t: Translate }) {
  const requests = await listErasureRequests();
  if (requests.length === 0) return null;
  return (
    <Card title={t('erasure.title')}>
      <ul className="divide-y divide-slate-100" data-testid="erasure-requests">
        {requests.map((r) => (
          <li key={r.studentId} className="flex flex-wrap items-center gap-3 py-2 text-sm">
            <span className="font-medium break-words">{r.name}</span>
            {r.studentNumber ? <span className="text-slate-500">{r.studentNumber}</span> : null}
            <span className="text-slate-500">{t('erasure.requested', { date: fmtTime(r.requestedAt, lang) })}</span>
            <span>{t('erasure.holds', { photos: r.photos, templates: r.templates })}</span>
            <span className="ml-auto">
              <ActionButton
                method="POST"
                url={`/api/students/${r.studentId}/erasure`}
                label={t('erasure.confirm')}
                confirmText={t('erasure.confirmAsk', { name: r.name })}
                variant="danger"
              />
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}
