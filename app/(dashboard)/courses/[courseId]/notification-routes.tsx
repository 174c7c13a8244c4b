import { DeleteButton } from '@/components/forms/delete-button';
import { JsonForm } from '@/components/forms/json-form';
import { Empty, Table, Td } from '@/components/ui';
import type { UserRole } from '@/db/schema';
import { listNotificationRoutes } from '@/lib/data/notification-routes';
import { env } from '@/lib/env';
import type { Translate } from '@/lib/i18n/dictionary';
import { publicRoute } from '@/lib/notifications/routes';

/** The course's notification routes, and a form to add an e-mail (a lecturer's own address; see the API). */
export async function NotificationRoutes({
  courseId,
  viewer,
  t,
}: {
  courseId: string;
  viewer: { role: UserRole; email: string };
  t: Translate;
}) {
  const settings = env();
  const routes = (await listNotificationRoutes({ courseId })).map((r) => publicRoute(r, viewer.role));
  const confirm = { confirmLabel: t('notify.remove'), cancelLabel: t('common.cancel'), cascadeLabel: '' };
  return (
    <div data-testid="notification-routes">
      <p className="mb-3 text-sm text-slate-600">{t('notify.help')}</p>
      {routes.length === 0 ? (
        <Empty>{t('common.none')}</Empty>
      ) : (
        <Table head={[t('notify.channel'), t('notify.target'), t('notify.events'), t('notify.when'), '']}>
          {routes.map((r) => (
            <tr key={r.routeId} data-testid="notification-route">
              <Td>{r.channel}</Td>
              <Td>{r.target}</Td>
              <Td>{r.events.join(', ')}</Td>
              <Td>{r.digest === 'daily' ? t('notify.daily', { hour: r.digestHour }) : t('notify.each')}</Td>
              <Td>
                <DeleteButton
                  url={`/api/courses/${courseId}/notifications/${r.routeId}`}
                  label={t('notify.remove')}
                  confirmText={t('notify.removeConfirm', { target: r.target })}
                  {...confirm}
                />
              </Td>
            </tr>
          ))}
        </Table>
      )}
      <div className="mt-4">
        {settings.SMTP_HOST ? (
          <JsonForm
            url={`/api/courses/${courseId}/notifications`}
            submitLabel={t('notify.add')}
            testId="add-email-route"
            extra={{ channel: 'email' }}
            fields={[
              {
                name: 'target',
                label: t('notify.address'),
                type: 'email',
                required: true,
                defaultValue: viewer.role === 'admin' ? '' : viewer.email,
              },
              {
                name: 'digest',
                label: t('notify.digest'),
                type: 'select',
                defaultValue: 'none',
                options: [
                  { value: 'none', label: t('notify.digestNone') },
                  { value: 'daily', label: t('notify.digestDaily') },
                ],
              },
              {
                name: 'digestHour',
                label: t('notify.digestHour', { zone: settings.CAMPUS_TIMEZONE }),
                type: 'select',
                as: 'int',
                defaultValue: '18',
                options: Array.from({ length: 24 }, (_, h) => ({ value: String(h), label: `${h}:00` })),
              },
            ]}
          />
        ) : (
          <p className="text-sm text-slate-500">{t('notify.noSmtp')}</p>
        )}
      </div>
    </div>
  );
}
