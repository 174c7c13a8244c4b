import { StatusPage } from '@/components/status-page';
import { getI18n } from './i18n';

/** forbidden() from a dashboard page (wrong role, another lecturer's course): HTTP 403 inside the layout's <main>. */
export default async function DashboardForbidden() {
  const { lang, t } = await getI18n();
  return (
    <StatusPage
      as="section"
      lang={lang}
      code={403}
      title={t('common.forbiddenTitle')}
      body={t('common.forbidden')}
      back={t('common.backToOverview')}
    />
  );
}
