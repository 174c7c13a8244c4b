import Link from 'next/link';
import { getI18n } from './(dashboard)/i18n';

/** forbidden() from a page (wrong role, another lecturer's course): HTTP 403. */
export default async function Forbidden() {
  const { lang, t } = await getI18n();
  return (
    <main lang={lang} className="mx-auto max-w-md p-8 text-center">
      <h1 className="text-2xl font-semibold">403 — {t('common.forbiddenTitle')}</h1>
      <p className="mt-2 text-slate-600">{t('common.forbidden')}</p>
      <Link href="/" className="mt-4 inline-block text-blue-700 hover:underline">
        {t('common.backToOverview')}
      </Link>
    </main>
  );
}
