import { ActionButton } from '@/components/forms/action-button';
import { JsonForm } from '@/components/forms/json-form';
import { Badge, Card, Empty, PageTitle, Table, Td, fmtTime } from '@/components/ui';
import { LIVENESS_MODES } from '@/db/schema';
import { requirePageUser } from '@/lib/auth/page';
import { cameraStatsFrom, fetchWorkersHealth } from '@/lib/dashboard/worker-stats';
import { listCamerasWithLeases } from '@/lib/data/camera-leases';
import { listCameraStates } from '@/lib/data/overview';
import { getI18n } from '../i18n';
import { LastFrame } from './last-frame-client';
import { RotateToken } from './rotate-token-client';

export const dynamic = 'force-dynamic';

export default async function CamerasPage() {
  await requirePageUser(['admin'], '/cameras');
  const { t } = await getI18n();
  const [cameras, leases, { workers, health }] = await Promise.all([listCameraStates(), listCamerasWithLeases(), fetchWorkersHealth()]);
  const stats = cameraStatsFrom(...health);
  const owner = new Map(leases.map((l) => [l.cameraId, l.workerId]));
  return (
    <>
      <PageTitle>{t('cameras.title')}</PageTitle>
      <Card>
        {health.some((h) => h.reachable) ? null : <p className="mb-3 text-sm text-amber-700">{t('cameras.workerDown')}</p>}
        {cameras.length === 0 ? (
          <Empty>{t('common.none')}</Empty>
        ) : (
          <Table head={[t('common.name'), t('common.room'), t('cameras.mode'), t('common.status'), t('cameras.lastSeen'), t('cameras.worker'), t('cameras.lastFrame'), t('cameras.stats'), t('cameras.liveness'), '']}>
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
                <Td>{fmtTime(c.lastSeenAt)}</Td>
                <Td>
                  <span data-testid="camera-worker">{owner.get(c.cameraId) ?? <Badge tone="amber">{t('cameras.noWorker')}</Badge>}</span>
                </Td>
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
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <Card title={t('cameras.workers')}>
        {workers.length === 0 ? (
          <Empty>{t('cameras.noWorkers')}</Empty>
        ) : (
          <Table head={[t('cameras.worker'), 'URL', t('cameras.capacity'), t('nav.cameras'), t('cameras.lastSeen'), t('common.status')]}>
            {workers.map((w) => (
              <tr key={w.workerId} data-testid="worker-row">
                <Td>{w.workerId}</Td>
                <Td className="text-xs">{w.internalUrl}</Td>
                <Td>{w.capacity}</Td>
                <Td>{leases.filter((l) => l.workerId === w.workerId).length}</Td>
                <Td>{fmtTime(w.lastSeenAt)}</Td>
                <Td>
                  <Badge tone={!w.live ? 'red' : w.health?.reachable && w.health.body.status === 'ok' ? 'green' : 'amber'}>
                    {!w.live ? t('cameras.workerGone') : w.health?.reachable ? (w.health.body.status === 'ok' ? t('cameras.workerOk') : t('cameras.workerDegraded')) : t('cameras.workerDown')}
                  </Badge>
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
