import { StatusPage } from '@/components/status-page';
import { getI18n } from './(dashboard)/i18n';

/** Unknown addresses: HTTP 404 (pages render fully before they answer, so the status is real). */
export default async function NotFound() {
  const { lang, t } = await getI18n();
  return (
    <StatusPage
      as="main"
      lang={lang}
      code={404}
      title={t('common.notFoundTitle')}
      body={t('common.notFoundBody')}
      back={t('common.backToOverview')}
    />
  );
}
