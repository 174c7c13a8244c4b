import { StatusPage } from '@/components/status-page';
import { getI18n } from './(dashboard)/i18n';

/** forbidden() outside the dashboard layout: HTTP 403. */
export default async function Forbidden() {
  const { lang, t } = await getI18n();
  return (
    <StatusPage
      as="main"
      lang={lang}
      code={403}
      title={t('common.forbiddenTitle')}
      body={t('common.forbidden')}
      back={t('common.backToOverview')}
    />
  );
}
