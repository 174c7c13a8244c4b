import { ActionButton } from '@/components/forms/action-button';
import { DeleteButton } from '@/components/forms/delete-button';
import { JsonForm } from '@/components/forms/json-form';
import { Badge, Card, Empty, PageTitle, Table, Td, fmtTime } from '@/components/ui';
import { LIVENESS_MODES } from '@/db/schema';
import { requirePageUser } from '@/lib/auth/page';
import { cameraStatsFrom, fetchWorkersHealth } from '@/lib/dashboard/worker-stats';
import { listCamerasWithLeases } from '@/lib/data/camera-leases';
import { cameraErrorKey, describeCameraError } from '@/lib/camera/describe-camera-error';
import { redactCredentials } from '@/lib/camera/redact';
import { upcomingSessionCounts } from '@/lib/data/cameras';
import { listCameraStates } from '@/lib/data/cameras';
import { messagesFor } from '@/lib/i18n/dictionary';
import { getI18n } from '../i18n';
import { AddCamera } from './add-camera-client';
import { LastFrame } from './last-frame-client';
import { RotateToken } from './rotate-token-client';
import { TestConnection } from './test-connection-client';

export const dynamic = 'force-dynamic';

export default async function CamerasPage() {
  await requirePageUser(['admin'], '/cameras');
  const { lang, t } = await getI18n();
  const messages = messagesFor(lang);
  const [cameras, leases, { workers, health }, upcoming] = await Promise.all([
    listCameraStates(),
    listCamerasWithLeases(),
    fetchWorkersHealth(),
    upcomingSessionCounts(),
  ]);
  const stats = cameraStatsFrom(...health);
  const owner = new Map(leases.map((l) => [l.cameraId, l.workerId]));
  return (
    <>
      <PageTitle>{t('cameras.title')}</PageTitle>
      <Card>
        {health.some((h) => h.reachable) ? null : (
          <p className="mb-3 text-sm text-amber-700">{t('cameras.workerDown')}</p>
        )}
        {cameras.length === 0 ? (
          <Empty>{t('common.none')}</Empty>
        ) : (
          <Table
            head={[
              t('common.name'),
              t('common.room'),
              t('cameras.mode'),
              t('common.status'),
              t('cameras.lastSeen'),
              t('cameras.worker'),
              t('cameras.lastFrame'),
              t('cameras.lastError'),
              t('cameras.stats'),
              t('cameras.liveness'),
              '',
            ]}
          >
            {cameras.map((c) => {
              const lastError = stats[c.cameraId]?.lastError;
              const words = typeof lastError === 'string' && lastError ? describeCameraError(lastError) : null;
              return (
                <tr key={c.cameraId} data-camera={c.name}>
                  <Td>
                    {c.name}
                    {c.streamUrl ? (
                      <div className="text-xs text-slate-500">{redactCredentials(c.streamUrl)}</div>
                    ) : null}
                  </Td>
                  <Td>{c.room ?? '—'}</Td>
                  <Td>
                    <span className="flex items-center gap-1">
                      <Badge tone="blue">{c.mode}</Badge>
                      <ActionButton
                        method="PATCH"
                        url={`/api/cameras/${c.cameraId}`}
                        body={{ mode: c.mode === 'push' ? 'pull' : 'push' }}
                        label={`→ ${c.mode === 'push' ? 'pull' : 'push'}`}
                      />
                    </span>
                  </Td>
                  <Td>
                    <Badge tone={c.online ? 'green' : 'red'}>
                      {c.online ? t('overview.online') : t('overview.offline')}
                    </Badge>
                  </Td>
                  <Td>{fmtTime(c.lastSeenAt, lang)}</Td>
                  <Td>
                    <span data-testid="camera-worker">
                      {owner.get(c.cameraId) ?? <Badge tone="amber">{t('cameras.noWorker')}</Badge>}
                    </span>
                  </Td>
                  <Td>
                    <LastFrame
                      cameraId={c.cameraId}
                      alt={`${t('cameras.lastFrame')}: ${c.name}`}
                      emptyLabel={t('cameras.noFrame')}
                    />
                  </Td>
                  <Td className="max-w-xs text-xs">
                    {words ? (
                      <div data-testid="camera-last-error" data-kind={words.kind}>
                        <p className="text-red-700">
                          {t(cameraErrorKey(words.kind))}
                          {words.httpStatus ? ` (HTTP ${words.httpStatus})` : ''}
                        </p>
                        <p className="break-all text-slate-500">{words.detail}</p>
                      </div>
                    ) : (
                      '—'
                    )}
                  </Td>
                  <Td className="max-w-xs text-xs">
                    {stats[c.cameraId] ? (
                      <code className="break-all">
                        {Object.entries(stats[c.cameraId]!)
                          .filter(([, v]) => typeof v !== 'object')
                          .map(([k, v]) => `${k}: ${String(v)}`)
                          .join(' · ')}
                      </code>
                    ) : (
                      '—'
                    )}
                  </Td>
                  <Td>
                    <div className="flex flex-wrap items-center gap-1" data-testid="camera-liveness">
                      <Badge tone={c.liveness === 'off' ? 'slate' : 'green'}>{c.liveness}</Badge>
                      {LIVENESS_MODES.filter((mode) => mode !== c.liveness).map((mode) => (
                        <ActionButton
                          key={mode}
                          method="PATCH"
                          url={`/api/cameras/${c.cameraId}`}
                          body={{ liveness: mode }}
                          label={`→ ${mode}`}
                        />
                      ))}
                    </div>
                  </Td>
                  <Td>
                    {c.mode === 'push' ? (
                      <RotateToken
                        url={`/api/cameras/${c.cameraId}/token`}
                        label={t('cameras.rotate')}
                        revealLabel={t('cameras.tokenOnce')}
                        firmwareLabel={t('cameras.firmwareLines')}
                      />
                    ) : (
                      <TestConnection cameraId={c.cameraId} messages={messages} />
                    )}
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
                            // Stream credentials never reach the page: the current URL shows redacted as a placeholder; empty keeps it.
                            {
                              name: 'streamUrl',
                              label: t('cameras.streamUrl'),
                              type: 'url',
                              placeholder: c.streamUrl
                                ? `${redactCredentials(c.streamUrl)} — ${t('cameras.keepUrl')}`
                                : '',
                            },
                            {
                              name: 'snapshotUrl',
                              label: t('cameras.snapshotUrl'),
                              type: 'url',
                              placeholder: c.snapshotUrl
                                ? `${redactCredentials(c.snapshotUrl)} — ${t('cameras.keepUrl')}`
                                : '',
                            },
                          ]}
                        />
                        <DeleteButton
                          url={`/api/cameras/${c.cameraId}`}
                          label={t('cameras.delete')}
                          confirmText={
                            upcoming[c.cameraId]
                              ? t('cameras.deleteConfirmUpcoming', { name: c.name, n: upcoming[c.cameraId]! })
                              : t('cameras.deleteConfirm', { name: c.name })
                          }
                          cascade={Boolean(upcoming[c.cameraId])}
                          confirmLabel={t('common.confirmDelete')}
                          cancelLabel={t('common.cancel')}
                          cascadeLabel={t('common.deleteEverything')}
                        />
                      </div>
                    </details>
                  </Td>
                </tr>
              );
            })}
          </Table>
        )}
      </Card>
      <Card title={t('cameras.workers')}>
        {workers.length === 0 ? (
          <Empty>{t('cameras.noWorkers')}</Empty>
        ) : (
          <Table
            head={[
              t('cameras.worker'),
              'URL',
              t('cameras.capacity'),
              t('nav.cameras'),
              t('cameras.lastSeen'),
              t('common.status'),
            ]}
          >
            {workers.map((w) => (
              <tr key={w.workerId} data-testid="worker-row">
                <Td>{w.workerId}</Td>
                <Td className="text-xs">{w.internalUrl}</Td>
                <Td>{w.capacity}</Td>
                <Td>{leases.filter((l) => l.workerId === w.workerId).length}</Td>
                <Td>{fmtTime(w.lastSeenAt, lang)}</Td>
                <Td>
                  <Badge
                    tone={!w.live ? 'red' : w.health?.reachable && w.health.body.status === 'ok' ? 'green' : 'amber'}
                  >
                    {!w.live
                      ? t('cameras.workerGone')
                      : w.health?.reachable
                        ? w.health.body.status === 'ok'
                          ? t('cameras.workerOk')
                          : t('cameras.workerDegraded')
                        : t('cameras.workerDown')}
                  </Badge>
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <Card title={t('cameras.add')}>
        <AddCamera messages={messages} />
      </Card>
    </>
  );
}
