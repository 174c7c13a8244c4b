import { ActionButton } from '@/components/forms/action-button';
import { JsonForm } from '@/components/forms/json-form';
import { RevealOnceButton } from '@/components/forms/reveal-once-button';
import { Badge, Card, Empty, PageTitle, Table, Td, fmtTime } from '@/components/ui';
import { requirePageUser } from '@/lib/auth/page';
import { listUsers } from '@/lib/data/users';
import { getI18n } from '../i18n';

export const dynamic = 'force-dynamic';

export default async function UsersPage() {
  const me = await requirePageUser(['admin'], '/users');
  const { t } = await getI18n();
  const users = await listUsers();
  return (
    <>
      <PageTitle>{t('users.title')}</PageTitle>
      <Card>
        <p className="mb-3 text-sm text-slate-600">{t('users.sessionNote')}</p>
        {users.length === 0 ? (
          <Empty>{t('common.none')}</Empty>
        ) : (
          <Table
            head={[t('common.email'), t('common.name'), t('users.role'), t('common.status'), t('users.lastSignIn'), '']}
          >
            {users.map((u) => (
              <tr key={u.userId} data-testid="user-row" data-email={u.email}>
                <Td>
                  {u.email}
                  {u.userId === me.id ? <span className="ml-1 text-xs text-slate-500">({t('users.you')})</span> : null}
                </Td>
                <Td>{u.name}</Td>
                <Td>
                  <Badge tone="blue">{u.role}</Badge>
                </Td>
                <Td>
                  <Badge tone={u.disabledAt ? 'red' : 'green'}>
                    {u.disabledAt ? t('users.disabled') : t('users.active')}
                  </Badge>
                </Td>
                <Td className="whitespace-nowrap">{u.lastLoginAt ? fmtTime(u.lastLoginAt) : t('users.never')}</Td>
                <Td>
                  {u.userId === me.id ? null : (
                    <div className="flex flex-wrap items-start gap-2">
                      {u.disabledAt ? (
                        <ActionButton
                          method="PATCH"
                          url={`/api/users/${u.userId}`}
                          body={{ disabled: false }}
                          label={t('users.enable')}
                        />
                      ) : (
                        <ActionButton
                          method="PATCH"
                          url={`/api/users/${u.userId}`}
                          body={{ disabled: true }}
                          label={t('users.disable')}
                          confirmText={t('users.confirmDisable')}
                          variant="danger"
                        />
                      )}
                      <ActionButton
                        method="PATCH"
                        url={`/api/users/${u.userId}`}
                        body={{ role: u.role === 'admin' ? 'lecturer' : 'admin' }}
                        label={u.role === 'admin' ? t('users.makeLecturer') : t('users.makeAdmin')}
                      />
                      <RevealOnceButton
                        url={`/api/users/${u.userId}/password`}
                        body={{}}
                        field="password"
                        label={t('users.resetPassword')}
                        confirmText={t('users.confirmReset')}
                        revealLabel={t('users.passwordOnce')}
                      />
                    </div>
                  )}
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <Card title={t('users.add')}>
        <JsonForm
          url="/api/users"
          submitLabel={t('common.create')}
          revealKey="password"
          revealLabel={t('users.passwordOnce')}
          fields={[
            { name: 'email', label: t('common.email'), type: 'email', required: true, autoComplete: 'off' },
            { name: 'name', label: t('common.name') },
            {
              name: 'role',
              label: t('users.role'),
              type: 'select',
              required: true,
              defaultValue: 'lecturer',
              options: [
                { value: 'lecturer', label: 'lecturer' },
                { value: 'admin', label: 'admin' },
              ],
            },
            { name: 'password', label: t('users.passwordOptional'), type: 'password', autoComplete: 'new-password' },
          ]}
        />
      </Card>
    </>
  );
}
