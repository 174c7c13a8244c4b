import Link from 'next/link';
import { JsonForm } from '@/components/forms/json-form';
import { Badge, Card, Empty, PageTitle, Pager, Table, Td } from '@/components/ui';
import { requirePageUser } from '@/lib/auth/page';
import { parseQuery } from '@/lib/dashboard/query';
import { pageQuery } from '@/lib/dashboard/schemas';
import { searchStudents } from '@/lib/data/student-directory';
import { templateCoverage } from '@/lib/data/template-rebuild';
import { countPendingSuggestions } from '@/lib/data/unknown-face-review';
import { hasDemoData } from '@/lib/data/demo-data';
import { ActionButton } from '@/components/forms/action-button';
import { env } from '@/lib/env';
import { engineIdentity, engineOptionsFromEnv } from '@/lib/face/engine-config';
import { getI18n } from '../i18n';
import { ErasureRequests } from './erasure-requests';

export const dynamic = 'force-dynamic';

export default async function StudentsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  await requirePageUser(['admin'], '/students');
  const { lang, t } = await getI18n();
  const q = parseQuery(new URLSearchParams(await searchParams), pageQuery.catch({ page: 1, pageSize: 25 }));
  const identity = engineIdentity(engineOptionsFromEnv(env()));
  const [result, coverage, suggestions, demo] = await Promise.all([
    searchStudents(q),
    templateCoverage(identity.model, identity.version),
    countPendingSuggestions(),
    hasDemoData(),
  ]);
  const href = (page: number) => `/students?${new URLSearchParams({ ...(q.q ? { q: q.q } : {}), page: String(page) })}`;
  return (
    <>
      <PageTitle
        actions={
          <div className="flex flex-wrap gap-2">
            {demo ? (
              <ActionButton
                method="DELETE"
                url="/api/demo"
                label={t('demo.remove')}
                confirmText={t('demo.removeConfirm')}
                variant="danger"
              />
            ) : null}
            <Link
              className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100"
              href="/students/suggestions"
              data-testid="suggestions-link"
            >
              {t('suggestions.link')}
              {suggestions > 0 ? ` (${suggestions})` : ''}
            </Link>
            <Link
              className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100"
              href="/students/import"
              data-testid="import-link"
            >
              {t('import.link')}
            </Link>
          </div>
        }
      >
        {t('students.title')}
      </PageTitle>
      <ErasureRequests lang={lang} t={t} />
      <Card>
        <form method="get" className="mb-4 flex gap-2" role="search">
          <input
            name="q"
            defaultValue={q.q}
            placeholder={t('students.searchPlaceholder')}
            aria-label={t('common.search')}
            className="w-full max-w-sm rounded-md border border-slate-300 px-2 py-1 text-sm"
          />
          <button className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100">
            {t('common.search')}
          </button>
        </form>
        <p className="mb-3 text-sm text-slate-600" data-testid="template-coverage">
          {t('students.templatesUpToDate')
            .replace('{n}', String(coverage.upToDate))
            .replace('{m}', String(coverage.students))}{' '}
          ({identity.model}@{identity.version})
          {coverage.upToDate < coverage.students ? ` — ${t('students.templatesRebuilding')}` : ''}
        </p>
        {result.rows.length === 0 ? (
          <Empty>{t('students.empty')}</Empty>
        ) : (
          <Table
            head={[
              t('common.name'),
              t('common.number'),
              t('common.email'),
              t('students.photos'),
              t('students.templates'),
            ]}
          >
            {result.rows.map((s) => (
              <tr key={s.studentId}>
                <Td>
                  <Link className="text-blue-700 hover:underline" href={`/students/${s.studentId}`}>
                    {s.name}
                  </Link>
                </Td>
                <Td>{s.studentNumber ?? '—'}</Td>
                <Td>{s.email ?? '—'}</Td>
                <Td>{s.photos}</Td>
                <Td>
                  <Badge tone={s.templates > 0 ? 'green' : 'amber'}>{s.templates}</Badge>
                </Td>
              </tr>
            ))}
          </Table>
        )}
        <Pager
          page={result.page}
          pageSize={result.pageSize}
          total={result.total}
          href={href}
          labels={{
            previous: t('common.previous'),
            next: t('common.next'),
            page: t('common.page'),
            of: t('common.of'),
          }}
        />
      </Card>
      <Card title={t('students.add')}>
        <JsonForm
          url="/api/students"
          submitLabel={t('common.create')}
          fields={[
            { name: 'name', label: t('common.name'), required: true },
            { name: 'studentNumber', label: t('common.number') },
            { name: 'email', label: t('common.email'), type: 'email' },
          ]}
        />
      </Card>
    </>
  );
}
