import Link from 'next/link';
import { getI18n } from './(dashboard)/i18n';

/** Unknown addresses and notFound() from any page: HTTP 404 (pages render fully before they answer). */
export default async function NotFound() {
  const { lang, t } = await getI18n();
  return (
    <main lang={lang} className="mx-auto max-w-md p-8 text-center">
      <h1 className="text-2xl font-semibold">404 — {t('common.notFoundTitle')}</h1>
      <p className="mt-2 text-slate-600">{t('common.notFoundBody')}</p>
      <Link href="/" className="mt-4 inline-block text-blue-700 hover:underline">
        {t('common.backToOverview')}
      </Link>
    </main>
  );
}
