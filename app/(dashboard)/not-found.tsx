import { StatusPage } from '@/components/status-page';
import { getI18n } from './i18n';

/** notFound() from a dashboard page (unknown student, course, session): HTTP 404 inside the layout's <main>. */
export default async function DashboardNotFound() {
  const { lang, t } = await getI18n();
  return (
    <StatusPage
      as="section"
      lang={lang}
      code={404}
      title={t('common.notFoundTitle')}
      body={t('common.notFoundBody')}
      back={t('common.backToOverview')}
    />
  );
}
