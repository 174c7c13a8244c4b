import { ActionButton } from '@/components/forms/action-button';
import { DeleteButton } from '@/components/forms/delete-button';
import { JsonForm } from '@/components/forms/json-form';
import { Badge, Card, Empty, PageTitle, Table, Td, fmtTime } from '@/components/ui';
import { LIVENESS_MODES } from '@/db/schema';
import { requirePageUser } from '@/lib/auth/page';
import { cameraStatsFrom, fetchWorkerHealth } from '@/lib/dashboard/worker-stats';
import { upcomingSessionCounts } from '@/lib/data/cameras';
import { listCameraStates } from '@/lib/data/overview';
import { getI18n } from '../i18n';
import { LastFrame } from './last-frame-client';
import { RotateToken } from './rotate-token-client';

export const dynamic = 'force-dynamic';

export default async function CamerasPage() {
  await requirePageUser(['admin'], '/cameras');
  const { lang, t } = await getI18n();
  const [cameras, health, upcoming] = await Promise.all([listCameraStates(), fetchWorkerHealth(), upcomingSessionCounts()]);
  const stats = cameraStatsFrom(health);
  return (
    <>
      <PageTitle>{t('cameras.title')}</PageTitle>
      <Card>
        {health.reachable ? null : <p className="mb-3 text-sm text-amber-700">{t('cameras.workerDown')}</p>}
        {cameras.length === 0 ? (
          <Empty>{t('common.none')}</Empty>
        ) : (
          <Table head={[t('common.name'), t('common.room'), t('cameras.mode'), t('common.status'), t('cameras.lastSeen'), t('cameras.lastFrame'), t('cameras.stats'), t('cameras.liveness'), '']}>
            {cameras.map((c) => (
              <tr key={c.cameraId}>
                <Td>
                  {c.name}
                  {c.streamUrl ? <div className="text-xs text-slate-500">{c.streamUrl}</div> : null}
                </Td>
                <Td>{c.room ?? '—'}</Td>
                <Td>
                  <span className="flex items-center gap-1">
                    <Badge tone="blue">{c.mode}</Badge>
                    <ActionButton method="PATCH" url={`/api/cameras/${c.cameraId}`} body={{ mode: c.mode === 'push' ? 'pull' : 'push' }} label={`→ ${c.mode === 'push' ? 'pull' : 'push'}`} />
                  </span>
                </Td>
                <Td>
                  <Badge tone={c.online ? 'green' : 'red'}>{c.online ? t('overview.online') : t('overview.offline')}</Badge>
                </Td>
                <Td>{fmtTime(c.lastSeenAt, lang)}</Td>
                <Td>
                  <LastFrame cameraId={c.cameraId} alt={`${t('cameras.lastFrame')}: ${c.name}`} emptyLabel={t('cameras.noFrame')} />
                </Td>
                <Td className="max-w-xs text-xs">
                  {stats[c.cameraId] ? (
                    <code className="break-all">{Object.entries(stats[c.cameraId]!).filter(([, v]) => typeof v !== 'object').map(([k, v]) => `${k}: ${String(v)}`).join(' · ')}</code>
                  ) : (
                    '—'
                  )}
                </Td>
                <Td>
                  <div className="flex flex-wrap items-center gap-1" data-testid="camera-liveness">
                    <Badge tone={c.liveness === 'off' ? 'slate' : 'green'}>{c.liveness}</Badge>
                    {LIVENESS_MODES.filter((mode) => mode !== c.liveness).map((mode) => (
                      <ActionButton key={mode} method="PATCH" url={`/api/cameras/${c.cameraId}`} body={{ liveness: mode }} label={`→ ${mode}`} />
                    ))}
                  </div>
                </Td>
                <Td>
                  <RotateToken url={`/api/cameras/${c.cameraId}/token`} label={t('cameras.rotate')} revealLabel={t('cameras.tokenOnce')} />
                  <details className="mt-2 text-sm" data-testid="camera-edit">
                    <summary className="cursor-pointer text-blue-700">{t('cameras.edit')}</summary>
                    <div className="mt-2 w-80 space-y-3">
                      <JsonForm
                        method="PATCH"
                        url={`/api/cameras/${c.cameraId}`}
                        submitLabel={t('common.save')}
                        savedLabel={t('common.saved')}
                        fields={[
                          { name: 'name', label: t('common.name'), required: true, defaultValue: c.name },
                          { name: 'room', label: t('common.room'), defaultValue: c.room ?? '', nullable: true },
                          { name: 'streamUrl', label: t('cameras.streamUrl'), type: 'url', defaultValue: c.streamUrl ?? '', nullable: true },
                          { name: 'snapshotUrl', label: t('cameras.snapshotUrl'), type: 'url', defaultValue: c.snapshotUrl ?? '', nullable: true },
                        ]}
                      />
                      <DeleteButton
                        url={`/api/cameras/${c.cameraId}`}
                        label={t('cameras.delete')}
                        confirmText={upcoming[c.cameraId] ? t('cameras.deleteConfirmUpcoming', { name: c.name, n: upcoming[c.cameraId]! }) : t('cameras.deleteConfirm', { name: c.name })}
                        cascade={Boolean(upcoming[c.cameraId])}
                        confirmLabel={t('common.confirmDelete')}
                        cancelLabel={t('common.cancel')}
                        cascadeLabel={t('common.deleteEverything')}
                      />
                    </div>
                  </details>
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <Card title={t('cameras.add')}>
        <JsonForm
          url="/api/cameras"
          submitLabel={t('common.create')}
          revealKey="token"
          revealLabel={t('cameras.tokenOnce')}
          fields={[
            { name: 'name', label: t('common.name'), required: true },
            { name: 'room', label: t('common.room') },
            { name: 'mode', label: t('cameras.mode'), type: 'select', required: true, options: [{ value: 'push', label: 'push' }, { value: 'pull', label: 'pull (MJPEG)' }] },
            { name: 'streamUrl', label: t('cameras.streamUrl'), type: 'url', placeholder: 'http://192.168.1.50:81/stream' },
            { name: 'liveness', label: t('cameras.liveness'), type: 'select', options: [{ value: 'flag', label: t('cameras.livenessFlag') }, { value: 'block', label: t('cameras.livenessBlock') }, { value: 'off', label: t('cameras.livenessOff') }] },
          ]}
        />
      </Card>
    </>
  );
}
