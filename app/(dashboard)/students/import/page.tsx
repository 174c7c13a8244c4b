import Link from 'next/link';
import { Card, PageTitle } from '@/components/ui';
import { requirePageUser } from '@/lib/auth/page';
import { messagesFor } from '@/lib/i18n/dictionary';
import { getI18n } from '../../i18n';
import { RosterImport } from './import-client';

export const dynamic = 'force-dynamic';

export default async function RosterImportPage() {
  await requirePageUser(['admin'], '/students/import');
  const { lang, t } = await getI18n();
  return (
    <>
      <PageTitle
        actions={
          <Link className="text-sm text-blue-700 hover:underline" href="/students">
            {t('nav.students')}
          </Link>
        }
      >
        {t('import.title')}
      </PageTitle>
      <Card>
        <p className="mb-4 text-sm text-slate-600">{t('import.intro')}</p>
        <RosterImport messages={messagesFor(lang)} />
      </Card>
    </>
  );
}
