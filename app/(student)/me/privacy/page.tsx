import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Metadata } from 'next';
import Link from 'next/link';
import { getI18n } from '@/app/(dashboard)/i18n';
import { PageTitle } from '@/components/ui';
import { requirePageUser } from '@/lib/auth/page';

export const metadata: Metadata = { title: 'Privacy notice' };
export const dynamic = 'force-dynamic';

/** The full privacy notice (PRIVACY.md) as its text, for a signed-in student. */
export default async function PrivacyPage() {
  await requirePageUser(['student'], '/me/privacy');
  const { t } = await getI18n();
  const text = await readFile(path.join(process.cwd(), 'PRIVACY.md'), 'utf8').catch(() => null);
  return (
    <div>
      <PageTitle>{t('me.privacyFull')}</PageTitle>
      <p className="mb-4 text-sm">
        <Link href="/me" className="text-blue-700 hover:underline">
          {t('me.title')}
        </Link>
      </p>
      <pre className="font-sans text-sm break-words whitespace-pre-wrap" data-testid="privacy-text">
        {text ?? t('me.privacyText')}
      </pre>
    </div>
  );
}
