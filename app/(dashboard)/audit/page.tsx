import { Card, Empty, PageTitle, Pager, Table, Td, fmtTime } from '@/components/ui';
import { requirePageUser } from '@/lib/auth/page';
import { listAuditLog } from '@/lib/data/overview';
import { getI18n } from '../i18n';

export const dynamic = 'force-dynamic';

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  await requirePageUser(['admin'], '/audit');
  const { t } = await getI18n();
  const page = Math.max(1, Number((await searchParams).page) || 1);
  const log = await listAuditLog({ page });
  return (
    <>
      <PageTitle>{t('audit.title')}</PageTitle>
      <Card>
        {log.rows.length === 0 ? (
          <Empty>{t('common.none')}</Empty>
        ) : (
          <Table head={[t('common.time'), t('audit.actor'), t('audit.action'), t('audit.entity'), '']}>
            {log.rows.map((r) => (
              <tr key={r.auditId}>
                <Td className="whitespace-nowrap">{fmtTime(r.createdAt)}</Td>
                <Td>{r.actorEmail ?? '—'}</Td>
                <Td>
                  <code>{r.action}</code>
                </Td>
                <Td>
                  {r.entity} <span className="text-xs text-slate-500">{r.entityId}</span>
                </Td>
                <Td className="max-w-md text-xs">
                  <code className="break-all">{r.details ? JSON.stringify(r.details).slice(0, 300) : ''}</code>
                </Td>
              </tr>
            ))}
          </Table>
        )}
        <Pager page={log.page} pageSize={log.pageSize} total={log.total} href={(p) => `/audit?page=${p}`} labels={{ previous: t('common.previous'), next: t('common.next'), page: t('common.page'), of: t('common.of') }} />
      </Card>
    </>
  );
}
