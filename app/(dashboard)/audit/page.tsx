import Link from 'next/link';
import { Badge, Card, Empty, PageTitle, Pager, Table, Td, fmtTime } from '@/components/ui';
import { requirePageUser } from '@/lib/auth/page';
import { auditQuery } from '@/lib/dashboard/schemas';
import { auditFilterOptions, listAuditLog, type AuditRow } from '@/lib/data/audit-log';
import { getI18n } from '../i18n';

export const dynamic = 'force-dynamic';

/** Row details as "key: value", with the ids of students and lecturers replaced by their names. */
function detailText(details: AuditRow['details'], names: Record<string, string>): string {
  if (!details) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(details)) {
    if (key === 'studentId' && typeof value === 'string') parts.push(`student: ${names[value] ?? '—'}`);
    else if (key === 'lecturerId') parts.push(`lecturer: ${typeof value === 'string' ? (names[value] ?? '—') : '—'}`);
    else if (key === 'removed' && value && typeof value === 'object') {
      const r = value as Record<string, unknown>;
      parts.push(
        `removed: ${typeof r.studentId === 'string' ? (names[r.studentId] ?? '—') : '—'} ${String(r.status ?? '')}`.trim(),
      );
    } else if (/Id$/.test(key)) continue;
    else parts.push(`${key}: ${value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  }
  return parts.join(' · ').slice(0, 400);
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  await requirePageUser(['admin'], '/audit');
  const { lang, t } = await getI18n();
  const raw = Object.fromEntries(
    Object.entries(await searchParams).filter(([, v]) => typeof v === 'string' && v !== ''),
  );
  const parsed = auditQuery.safeParse(raw);
  const filters = parsed.success ? parsed.data : auditQuery.parse({});
  const [log, options] = await Promise.all([listAuditLog(filters), auditFilterOptions()]);
  const { page: _page, pageSize: _size, ...active } = filters;
  const href = (page: number) =>
    `/audit?${new URLSearchParams({ ...Object.fromEntries(Object.entries(active).filter(([, v]) => v)), page: String(page) })}`;
  const select = 'mt-1 block rounded-md border border-slate-300 px-2 py-1 text-sm';
  return (
    <>
      <PageTitle>{t('audit.title')}</PageTitle>
      <Card>
        <form method="get" className="mb-4 flex flex-wrap items-end gap-3" role="search" aria-label={t('audit.filter')}>
          <label className="text-sm">
            {t('audit.who')}
            <select name="actor" defaultValue={filters.actor ?? ''} className={select}>
              <option value="">{t('audit.anyone')}</option>
              <option value="system">{t('audit.system')}</option>
              {options.actors.map((u) => (
                <option key={u.userId} value={u.userId}>
                  {u.name} &lt;{u.email}&gt;
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm">
            {t('audit.what')}
            <select name="action" defaultValue={filters.action ?? ''} className={select}>
              <option value="">{t('audit.anything')}</option>
              {options.actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm">
            {t('audit.from')}
            <input type="date" name="from" defaultValue={filters.from ?? ''} className={select} />
          </label>
          <label className="text-sm">
            {t('audit.to')}
            <input type="date" name="to" defaultValue={filters.to ?? ''} className={select} />
          </label>
          <button className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100">
            {t('audit.filter')}
          </button>
          <Link href="/audit" className="text-sm text-blue-700 hover:underline">
            {t('audit.clear')}
          </Link>
        </form>
        {log.rows.length === 0 ? (
          <Empty>{t('common.none')}</Empty>
        ) : (
          <Table head={[t('common.time'), t('audit.actor'), t('audit.action'), t('audit.entity'), t('audit.details')]}>
            {log.rows.map((r) => (
              <tr key={r.auditId} data-testid="audit-row" data-action={r.action}>
                <Td className="whitespace-nowrap">{fmtTime(r.createdAt, lang)}</Td>
                <Td>
                  {r.actorEmail ? (
                    <span title={r.actorEmail}>
                      {r.actorName ?? r.actorEmail} <span className="text-xs text-slate-500">{r.actorEmail}</span>
                    </span>
                  ) : (
                    <span className="text-slate-500">{t('audit.system')}</span>
                  )}
                </Td>
                <Td>
                  <code>{r.action}</code>
                </Td>
                <Td>
                  {r.subject.label ? (
                    r.subject.href ? (
                      <Link className="text-blue-700 hover:underline" href={r.subject.href}>
                        {r.subject.label}
                      </Link>
                    ) : (
                      r.subject.label
                    )
                  ) : (
                    <span className="text-slate-500">{r.entity}</span>
                  )}
                  {r.subject.at ? <span className="text-xs text-slate-500"> {fmtTime(r.subject.at, lang)}</span> : null}
                  {r.subject.deleted ? (
                    <>
                      {' '}
                      <Badge tone="red">{t('audit.deleted')}</Badge>
                    </>
                  ) : null}
                </Td>
                <Td className="max-w-md text-xs">{detailText(r.details, log.names)}</Td>
              </tr>
            ))}
          </Table>
        )}
        <Pager
          page={log.page}
          pageSize={log.pageSize}
          total={log.total}
          href={href}
          labels={{
            previous: t('common.previous'),
            next: t('common.next'),
            page: t('common.page'),
            of: t('common.of'),
          }}
        />
      </Card>
    </>
  );
}
