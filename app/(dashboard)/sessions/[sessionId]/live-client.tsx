'use client';

import { useEffect, useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ActionButton } from '@/components/forms/action-button';
import { fmtClock } from '@/components/ui';
import type { LiveAttendance, LiveUnknownFace, RosterStudent } from '@/lib/data/live-attendance';
import type { StreamEnd } from '@/lib/dashboard/live-stream';
import type { Lang, MessageKey } from '@/lib/i18n/dictionary';
import { UnknownReview } from './unknown-review-client';

interface Props {
  sessionId: string;
  /** Open and inside its times: only then is the page "Live". */
  running: boolean;
  /** Stopped, cancelled or past its end: no live stream is opened. */
  ended: boolean;
  startsAt: string;
  endsAt: string;
  roster: RosterStudent[];
  initial: LiveAttendance[];
  initialUnknown: LiveUnknownFace[];
  messages: Record<MessageKey, string>;
  lang: Lang;
}

const PRESENT = new Set(['present', 'manual', 'excused']);

/**
 * Present / late / absent lists and the review queue, kept current by the session's Server-Sent Events
 * stream while the session can still change; a server refresh (after an action) replaces them too.
 */
export function LiveSession(props: Props) {
  const { sessionId, running, ended, startsAt, endsAt, roster, initial, initialUnknown, messages: m, lang } = props;
  const [rows, setRows] = useState(() => new Map(initial.map((r) => [r.studentId, r])));
  const [unknown, setUnknown] = useState(initialUnknown);
  const [connected, setConnected] = useState(false);
  const [endedBy, setEndedBy] = useState<StreamEnd | null>(null);
  const [fromServer, setFromServer] = useState({ initial, initialUnknown, ended });
  if (fromServer.initial !== initial || fromServer.initialUnknown !== initialUnknown || fromServer.ended !== ended) {
    setFromServer({ initial, initialUnknown, ended });
    setRows(new Map(initial.map((r) => [r.studentId, r])));
    setUnknown(initialUnknown);
    // Started again after a stop: a new stream opens.
    if (fromServer.ended !== ended) setEndedBy(null);
  }

  useEffect(() => {
    if (ended) return;
    const source = new EventSource(`/api/sessions/${sessionId}/events`);
    const parse = (e: MessageEvent) => JSON.parse(e.data as string) as LiveAttendance[];
    source.addEventListener('open', () => setConnected(true));
    source.addEventListener('error', () => setConnected(false));
    source.addEventListener('unknown', (e) =>
      setUnknown(JSON.parse((e as MessageEvent).data as string) as LiveUnknownFace[]),
    );
    // The server ended the stream for good (signed out, session over): do not reconnect.
    source.addEventListener('end', (e) => {
      source.close();
      setConnected(false);
      setEndedBy((JSON.parse((e as MessageEvent).data as string) as { reason: StreamEnd }).reason);
    });
    source.addEventListener('snapshot', (e) => setRows(new Map(parse(e as MessageEvent).map((r) => [r.studentId, r]))));
    source.addEventListener('upsert', (e) =>
      setRows((prev) => {
        const next = new Map(prev);
        for (const r of parse(e as MessageEvent)) next.set(r.studentId, r);
        return next;
      }),
    );
    return () => source.close();
  }, [sessionId, ended]);

  const { present, late, absent, chart } = useMemo(() => {
    const all = [...rows.values()];
    const names = new Map(roster.map((s) => [s.studentId, s]));
    for (const r of all)
      if (!names.has(r.studentId))
        names.set(r.studentId, { studentId: r.studentId, name: r.studentName, studentNumber: r.studentNumber });
    const present = all.filter((r) => PRESENT.has(r.status));
    const late = all.filter((r) => r.status === 'late');
    const attended = new Set([...present, ...late].map((r) => r.studentId));
    const absent = [...names.values()].filter((s) => !attended.has(s.studentId));
    // Cumulative arrivals over the session's clock time (camera and manual marks alike), from 0 at the
    // start to the count now (or at the end): a flat line with no arrivals, a staircase with 200.
    const start = Date.parse(startsAt),
      end = Date.parse(endsAt);
    const times = [...present, ...late].map((r) => Date.parse(r.timestamp)).sort((a, b) => a - b);
    const first = Math.min(start, times[0] ?? start);
    const chart = [
      { at: first, arrived: 0 },
      ...times.map((at, i) => ({ at, arrived: i + 1 })),
      { at: Math.max(Math.min(Date.now(), end), times.at(-1) ?? first), arrived: times.length },
    ];
    return { present, late, absent, chart };
  }, [rows, roster, startsAt, endsAt]);

  const axis = useMemo(
    () => clockTicks(Math.min(Date.parse(startsAt), chart[0]?.at ?? Infinity), Date.parse(endsAt)),
    [chart, startsAt, endsAt],
  );
  const total = roster.length || present.length + late.length + absent.length;
  const rate = total > 0 ? Math.round(((present.length + late.length) / total) * 1000) / 10 : 0;
  const api = `/api/sessions/${sessionId}`;

  return (
    <div className="mb-6 space-y-4">
      <div className="flex flex-wrap items-center gap-4 text-sm">
        {endedBy === 'signed_out' ? (
          <span className="rounded bg-red-100 px-2 py-0.5 text-red-800" data-testid="live-status">
            {m['live.signedOut']}
          </span>
        ) : running && endedBy !== 'session_ended' ? (
          <span
            className={`rounded px-2 py-0.5 ${connected ? 'bg-green-100 text-green-800' : 'bg-amber-100 text-amber-800'}`}
            data-testid="live-status"
          >
            {connected ? `● ${m['live.connected']}` : m['live.reconnecting']}
          </span>
        ) : (
          <span className="rounded bg-slate-100 px-2 py-0.5 text-slate-700" data-testid="live-status">
            {ended || endedBy ? m['live.ended'] : m['live.notRunning']}
          </span>
        )}
        <span>
          {m['common.rate']}: <strong data-testid="rate">{rate} %</strong> ({present.length + late.length}/{total})
        </span>
      </div>
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        <List title={`${m['live.present']} (${present.length})`} testId="present">
          {present.map((r) => (
            <Row
              key={r.studentId}
              name={r.studentName}
              sub={`${fmtClock(r.timestamp, lang)}${r.source === 'manual' ? ' ✎' : r.confidence ? ` · ${r.confidence.toFixed(2)}` : ''}`}
            >
              {r.livenessDoubtful ? <LivenessReview api={api} row={r} m={m} /> : null}
              <ActionButton
                method="POST"
                url={`${api}/attendance`}
                body={{ studentId: r.studentId, status: 'absent' }}
                label={m['live.markAbsent']}
                reasonPrompt={m['live.reasonPrompt']}
              />
              <ActionButton
                method="DELETE"
                url={`${api}/attendance/${r.attendanceId}`}
                label={m['live.notThisPerson']}
                reasonPrompt={m['live.reasonPrompt']}
                variant="danger"
              />
            </Row>
          ))}
        </List>
        <List title={`${m['live.late']} (${late.length})`} testId="late">
          {late.map((r) => (
            <Row key={r.studentId} name={r.studentName} sub={fmtClock(r.timestamp, lang)}>
              {r.livenessDoubtful ? <LivenessReview api={api} row={r} m={m} /> : null}
              <ActionButton
                method="DELETE"
                url={`${api}/attendance/${r.attendanceId}`}
                label={m['live.notThisPerson']}
                reasonPrompt={m['live.reasonPrompt']}
                variant="danger"
              />
            </Row>
          ))}
        </List>
        <List title={`${m['live.absent']} (${absent.length})`} testId="absent">
          {absent.map((s) => (
            <Row key={s.studentId} name={s.name} sub={s.studentNumber ?? ''}>
              <ActionButton
                method="POST"
                url={`${api}/attendance`}
                body={{ studentId: s.studentId, status: 'present' }}
                label={m['live.markPresent']}
                reasonPrompt={m['live.reasonPrompt']}
              />
            </Row>
          ))}
        </List>
      </div>
      <UnknownReview api={api} faces={unknown} roster={roster} messages={m} lang={lang} />
      <section className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
        <h2 className="mb-3 text-lg font-medium">{m['live.arrivals']}</h2>
        <div className="h-56" data-testid="arrivals-chart">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={chart}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis
                dataKey="at"
                type="number"
                scale="time"
                domain={[axis.from, axis.to]}
                ticks={axis.ticks}
                // A phone has no room for every tick: overlapping ones are left out, the first and last kept.
                interval="preserveStartEnd"
                minTickGap={8}
                tickFormatter={clock}
              />
              <YAxis allowDecimals={false} domain={[0, Math.max(1, total)]} />
              <Tooltip labelFormatter={(v) => clock(Number(v))} />
              <Line type="stepAfter" dataKey="arrived" stroke="#2563eb" dot={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </section>
    </div>
  );
}

/** The "liveness doubtful" mark on a row, with the lecturer's two answers (each audited). */
function LivenessReview({ api, row, m }: { api: string; row: LiveAttendance; m: Record<MessageKey, string> }) {
  const url = `${api}/attendance/${row.attendanceId}/liveness`;
  return (
    <span className="flex basis-full flex-wrap items-center gap-1" data-testid="liveness-doubtful">
      <span
        className="rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800"
        title={row.livenessScore !== null ? `liveness ${row.livenessScore.toFixed(2)}` : undefined}
      >
        ⚠ {m['live.livenessDoubtful']}
      </span>
      <ActionButton method="POST" url={url} body={{ verdict: 'real' }} label={m['live.wasReal']} />
      <ActionButton
        method="POST"
        url={url}
        body={{ verdict: 'spoof' }}
        label={m['live.wasSpoof']}
        confirmText={m['live.spoofConfirm']}
        variant="danger"
      />
    </span>
  );
}

function List({ title, testId, children }: { title: string; testId: string; children: React.ReactNode[] }) {
  return (
    <section className="min-w-0 rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid={testId}>
      <h2 className="mb-2 font-medium">{title}</h2>
      {children.length === 0 ? (
        <p className="text-sm text-slate-400">—</p>
      ) : (
        <ul className="divide-y divide-slate-100">{children}</ul>
      )}
    </section>
  );
}

function Row({ name, sub, children }: { name: string; sub: string; children?: React.ReactNode }) {
  return (
    <li className="flex flex-col gap-1 py-2 text-sm">
      <span className="min-w-0 break-words">
        <span className="font-medium">{name}</span> <span className="text-xs text-slate-500">{sub}</span>
      </span>
      {children ? <span className="flex flex-wrap gap-1">{children}</span> : null}
    </li>
  );
}

/** 24-hour clock time of an instant, e.g. 09:05. */
function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
}

/** Ticks on round clock times (every 5, 10, 15, 20, 30 or 60 minutes; at most 10) over [from, to]. */
export function clockTicks(from: number, to: number): { from: number; to: number; ticks: number[] } {
  const span = Math.max(1, (to - from) / 60_000);
  const step = ([5, 10, 15, 20, 30, 60].find((m) => span / m <= 10) ?? Math.ceil(span / 10 / 60) * 60) * 60_000;
  const ticks: number[] = [];
  // Round clock times in the browser's time zone: step from the local midnight.
  const midnight = new Date(from);
  midnight.setHours(0, 0, 0, 0);
  for (let t = midnight.getTime() + Math.ceil((from - midnight.getTime()) / step) * step; t <= to; t += step)
    ticks.push(t);
  return { from, to, ticks };
}
