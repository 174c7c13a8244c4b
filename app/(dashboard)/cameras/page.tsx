import { ActionButton } from '@/components/forms/action-button';
import { DeleteButton } from '@/components/forms/delete-button';
import { JsonForm } from '@/components/forms/json-form';
import { Badge, Card, Empty, PageTitle, fmtTime } from '@/components/ui';
import { LIVENESS_MODES } from '@/db/schema';
import { requirePageUser } from '@/lib/auth/page';
import { cameraStatRows, cameraStatsFrom, fetchWorkersHealth, workerLoadFrom } from '@/lib/dashboard/worker-stats';
import { listCamerasWithLeases } from '@/lib/data/camera-leases';
import { cameraErrorKey, describeCameraError } from '@/lib/camera/describe-camera-error';
import { redactCredentials } from '@/lib/camera/redact';
import { upcomingSessionCounts } from '@/lib/data/cameras';
import { listCameraStates } from '@/lib/data/cameras';
import { messagesFor, type MessageKey } from '@/lib/i18n/dictionary';
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
          <ul className="grid gap-4 lg:grid-cols-2" data-testid="camera-list">
            {cameras.map((c) => {
              const lastError = stats[c.cameraId]?.lastError;
              const words = typeof lastError === 'string' && lastError ? describeCameraError(lastError) : null;
              const statRows = cameraStatRows(stats[c.cameraId]);
              return (
                <li
                  key={c.cameraId}
                  data-camera={c.name}
                  className="min-w-0 rounded-lg border border-slate-200 p-3 text-sm"
                >
                  <div className="flex flex-wrap items-start justify-between gap-2">
                    <div className="min-w-0">
                      <h3 className="font-medium break-words">{c.name}</h3>
                      {c.streamUrl ? (
                        <div className="text-xs break-all text-slate-500">{redactCredentials(c.streamUrl)}</div>
                      ) : null}
                    </div>
                    <Badge tone={c.online ? 'green' : 'red'}>
                      {c.online ? t('overview.online') : t('overview.offline')}
                    </Badge>
                  </div>
                  <div className="mt-3 flex flex-wrap items-start gap-4">
                    <LastFrame
                      cameraId={c.cameraId}
                      alt={`${t('cameras.lastFrame')}: ${c.name}`}
                      emptyLabel={t('cameras.noFrame')}
                    />
                    {/* Below the frame on a phone, each label above its value; beside it, in two columns, on wider screens. */}
                    <dl className="grid min-w-0 flex-1 basis-64 grid-cols-1 items-center gap-x-3 sm:grid-cols-[auto_minmax(0,1fr)] sm:gap-y-1">
                      <dt className="text-slate-500">{t('common.room')}</dt>
                      <dd className="break-words">{c.room ?? '—'}</dd>
                      <dt className="text-slate-500">{t('cameras.mode')}</dt>
                      <dd className="flex flex-wrap items-center gap-1">
                        <Badge tone="blue">{c.mode}</Badge>
                        <ActionButton
                          method="PATCH"
                          url={`/api/cameras/${c.cameraId}`}
                          body={{ mode: c.mode === 'push' ? 'pull' : 'push' }}
                          label={`→ ${c.mode === 'push' ? 'pull' : 'push'}`}
                        />
                      </dd>
                      <dt className="text-slate-500">{t('cameras.lastSeen')}</dt>
                      <dd>{fmtTime(c.lastSeenAt, lang)}</dd>
                      <dt className="text-slate-500">{t('cameras.worker')}</dt>
                      <dd className="break-all">
                        <span data-testid="camera-worker">
                          {owner.get(c.cameraId) ?? <Badge tone="amber">{t('cameras.noWorker')}</Badge>}
                        </span>
                      </dd>
                      <dt className="text-slate-500">{t('cameras.liveness')}</dt>
                      <dd className="flex flex-wrap items-center gap-1" data-testid="camera-liveness">
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
                      </dd>
                    </dl>
                  </div>
                  {words ? (
                    <div className="mt-3 text-xs" data-testid="camera-last-error" data-kind={words.kind}>
                      <p className="text-red-700">
                        {t(cameraErrorKey(words.kind))}
                        {words.httpStatus ? ` (HTTP ${words.httpStatus})` : ''}
                      </p>
                      <p className="break-all text-slate-500">{words.detail}</p>
                    </div>
                  ) : null}
                  {statRows.length > 0 ? (
                    <div className="mt-3" data-testid="camera-stats">
                      <h4 className="mb-1 text-xs font-medium text-slate-500">{t('cameras.stats')}</h4>
                      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-3">
                        {statRows.map((r) => (
                          <div key={r.key} className="min-w-0 rounded bg-slate-50 px-2 py-1">
                            <dt className="text-xs text-slate-500">{t(r.key)}</dt>
                            <dd className="font-medium break-words">
                              {r.kind === 'count'
                                ? r.value.toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB')
                                : r.kind === 'time'
                                  ? fmtTime(r.value, lang)
                                  : stateWords(t, r.value)}
                            </dd>
                          </div>
                        ))}
                      </dl>
                    </div>
                  ) : null}
                  <div className="mt-3 min-w-0">
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
                      <div className="mt-2 w-full max-w-sm space-y-3">
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
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </Card>
      <Card title={t('cameras.workers')}>
        {workers.length === 0 ? (
          <Empty>{t('cameras.noWorkers')}</Empty>
        ) : (
          <ul className="grid gap-3 md:grid-cols-2">
            {workers.map((w) => {
              const load = w.live ? workerLoadFrom(w.health) : null;
              const held = leases.filter((l) => l.workerId === w.workerId).length;
              const num = (x: number) => x.toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB');
              return (
                <li
                  key={w.workerId}
                  data-testid="worker-row"
                  className="min-w-0 rounded-lg border border-slate-200 p-3 text-sm"
                >
                  <div className="flex flex-wrap items-start justify-between gap-2">
                    <span className="min-w-0 font-medium break-all">{w.workerId}</span>
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
                  </div>
                  <dl className="mt-2 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1">
                    <dt className="text-slate-500">URL</dt>
                    <dd className="text-xs break-all">{w.internalUrl}</dd>
                    <dt className="text-slate-500">{t('nav.cameras')}</dt>
                    <dd data-testid="worker-cameras">
                      {load
                        ? t('cameras.heldOfCapacity', { held, capacity: load.capacity, max: load.maxCapacity })
                        : `${held} / ${w.capacity}`}
                    </dd>
                    {load ? (
                      <>
                        <dt className="text-slate-500">{t('cameras.load')}</dt>
                        <dd className="flex flex-wrap items-center gap-1" data-testid="worker-load">
                          <Badge tone={load.saturated ? 'amber' : load.judged ? 'green' : 'slate'}>
                            {load.saturated
                              ? t('cameras.saturated')
                              : load.judged
                                ? t('cameras.hasRoom')
                                : t('cameras.measuring')}
                          </Badge>
                          <span>
                            {t('cameras.loadFigures', {
                              analysed: num(load.analysedPerSecond),
                              arrived: num(load.arrivedPerSecond),
                              seconds: num(Math.round(load.windowSeconds)),
                            })}
                          </span>
                        </dd>
                        <dt className="text-slate-500">{t('cameras.queueAge')}</dt>
                        <dd>{load.oldestQueueAgeMs === null ? '—' : `${num(load.oldestQueueAgeMs)} ms`}</dd>
                        <dt className="text-slate-500">{t('cameras.capacity')}</dt>
                        <dd data-testid="worker-capacity-reason">
                          {t(`cameras.capacityReason.${load.capacityReason}`)}
                        </dd>
                      </>
                    ) : null}
                    <dt className="text-slate-500">{t('cameras.lastSeen')}</dt>
                    <dd>{fmtTime(w.lastSeenAt, lang)}</dd>
                  </dl>
                </li>
              );
            })}
          </ul>
        )}
      </Card>
      <Card title={t('cameras.add')}>
        <AddCamera messages={messages} />
      </Card>
    </>
  );
}

const STATES = ['streaming', 'connecting', 'backoff', 'stopped'] as const;

/** A camera connection's state in words; a state this page does not know shows as the worker names it. */
function stateWords(t: (key: MessageKey) => string, state: string): string {
  const known = STATES.find((s) => s === state);
  return known ? t(`stats.state.${known}`) : state;
}
