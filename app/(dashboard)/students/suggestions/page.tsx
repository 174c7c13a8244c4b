import { ActionButton } from '@/components/forms/action-button';
import { Card, Empty, PageTitle, Table, Td, fmtTime } from '@/components/ui';
import { requirePageUser } from '@/lib/auth/page';
import { listPendingSuggestions } from '@/lib/data/unknown-face-review';
import { getI18n } from '../../i18n';

export const dynamic = 'force-dynamic';

/**
 * Lecturers' "this is <student>" answers wait here: only an admin's approval turns a face into a
 * template, which then counts in every course (each decision is audited).
 */
export default async function SuggestionsPage() {
  await requirePageUser(['admin'], '/students/suggestions');
  const { lang, t } = await getI18n();
  const rows = await listPendingSuggestions();
  return (
    <>
      <PageTitle>{t('suggestions.title')}</PageTitle>
      <Card>
        <p className="mb-3 text-sm text-slate-600">{t('suggestions.intro')}</p>
        {rows.length === 0 ? (
          <Empty>{t('suggestions.empty')}</Empty>
        ) : (
          <Table head={['', t('common.name'), t('common.course'), t('suggestions.by'), '']}>
            {rows.map((r) => (
              <tr key={r.unknownId} data-testid="suggestion">
                <Td>
                  <img
                    src={`/api/unknown-faces/${r.unknownId}/image`}
                    alt={r.studentName}
                    className="h-16 w-16 rounded object-cover"
                  />
                </Td>
                <Td>
                  {r.studentName}
                  {r.studentNumber ? ` (${r.studentNumber})` : ''}
                </Td>
                <Td>
                  {r.courseCode ?? '—'} · {fmtTime(r.seenAt, lang)}
                </Td>
                <Td>{r.suggestedByName ?? '—'}</Td>
                <Td>
                  <div className="flex flex-wrap gap-1">
                    <ActionButton
                      method="POST"
                      url={`/api/unknown-faces/${r.unknownId}/suggestion`}
                      body={{ decision: 'approve' }}
                      label={t('suggestions.approve')}
                      variant="primary"
                    />
                    <ActionButton
                      method="POST"
                      url={`/api/unknown-faces/${r.unknownId}/suggestion`}
                      body={{ decision: 'decline' }}
                      label={t('suggestions.decline')}
                    />
                  </div>
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </>
  );
}
