'use client';

import { ActionButton } from '@/components/forms/action-button';
import { Badge, Card, Empty, fmtTime } from '@/components/ui';
import type { LiveUnknownFace, RosterStudent } from '@/lib/data/live-attendance';
import type { Lang, MessageKey } from '@/lib/i18n/dictionary';
import { AssignUnknown } from './assign-unknown-client';

interface Props {
  api: string;
  faces: LiveUnknownFace[];
  roster: RosterStudent[];
  messages: Record<MessageKey, string>;
  lang: Lang;
}

/** The review queue: unknown faces and suspected spoofs, kept current by the session's live stream. */
export function UnknownReview({ api, faces, roster, messages: m, lang }: Props) {
  const nameOf = (id: string | null) => roster.find((r) => r.studentId === id)?.name;
  return (
    <Card title={`${m['live.unknownFaces']} (${faces.filter((u) => !u.reviewed).length})`}>
      {faces.length === 0 ? (
        <Empty>{m['common.none']}</Empty>
      ) : (
        <ul className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3" data-testid="unknown-faces">
          {faces.map((u) => (
            <li
              key={u.unknownId}
              data-unknown-id={u.unknownId}
              className="flex min-w-0 gap-3 rounded-md border border-slate-200 p-2 text-sm"
            >
              {/* A plain img: the crop is authenticated and uncached; next/image would proxy and cache it. */}
              <img
                src={`/api/unknown-faces/${u.unknownId}/image`}
                alt={m['live.unknownFaces']}
                width={80}
                height={80}
                className="h-20 w-20 shrink-0 rounded object-cover"
              />
              <div className="flex min-w-0 flex-1 flex-col gap-1">
                <span className="break-words">
                  {fmtTime(u.seenAt, lang)} · {u.cameraName ?? '—'}
                </span>
                {u.kind === 'suspected_spoof' ? (
                  <span
                    className="rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800"
                    data-testid="suspected-spoof"
                  >
                    ⚠ {m['live.suspectedSpoof']} {nameOf(u.matchedStudentId) ?? '—'}
                    {u.livenessScore !== null ? ` (liveness ${u.livenessScore.toFixed(2)})` : ''}
                  </span>
                ) : null}
                {u.reviewed ? (
                  <Badge>{(u.studentId ? nameOf(u.studentId) : null) ?? m['live.reviewed']}</Badge>
                ) : u.kind === 'suspected_spoof' ? (
                  <div className="flex flex-wrap gap-1">
                    <ActionButton
                      method="POST"
                      url={`${api}/unknown/${u.unknownId}/liveness`}
                      body={{ verdict: 'real' }}
                      label={m['live.wasReal']}
                    />
                    <ActionButton
                      method="POST"
                      url={`${api}/unknown/${u.unknownId}/liveness`}
                      body={{ verdict: 'spoof' }}
                      label={m['live.wasSpoof']}
                      confirmText={m['live.spoofConfirm']}
                      variant="danger"
                    />
                  </div>
                ) : (
                  <>
                    <AssignUnknown
                      unknownId={u.unknownId}
                      roster={roster}
                      labels={{
                        thisIs: m['live.thisIs'],
                        choose: m['live.chooseStudent'],
                        alsoPresent: m['live.alsoPresent'],
                      }}
                    />
                    <ActionButton
                      method="PATCH"
                      url={`${api}/unknown/${u.unknownId}`}
                      body={{ studentId: null }}
                      label={`✓ ${m['live.reviewed']}`}
                    />
                  </>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
