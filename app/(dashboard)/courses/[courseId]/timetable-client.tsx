'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { callApi } from '@/components/forms/api';
import type { MessageKey } from '@/lib/i18n/dictionary';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export interface TimetableView {
  timetableId: string;
  weekdayList: string[];
  startTime: string;
  endTime: string;
  fromDate: string;
  toDate: string;
  exceptDates: string[];
  timeZone: string;
  room: string | null;
  cameraId: string | null;
  cameraName: string | null;
  sessions: number;
  upcoming: number;
}

interface Preview {
  occurrences: Array<{ date: string; past: boolean; kept: boolean }>;
  clashes: Array<{
    date: string;
    courseCode: string;
    reason: string;
    room: string | null;
    cameraName: string | null;
    startsAt: string;
    endsAt: string;
  }>;
  toCreate: number;
}

interface Props {
  courseId: string;
  cameras: Array<{ cameraId: string; name: string; room: string | null }>;
  defaultTimeZone: string;
  timetables: TimetableView[];
  messages: Record<MessageKey, string>;
}

type Draft = {
  weekdays: string[];
  startTime: string;
  endTime: string;
  fromDate: string;
  toDate: string;
  exceptDates: string;
  cameraId: string;
  room: string;
  timeZone: string;
};

const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));

/** The course page's timetables: list, and a form that previews every date before anything is saved. */
export function Timetables({ courseId, cameras, defaultTimeZone, timetables, messages }: Props) {
  const t = (k: MessageKey, values: Record<string, string | number> = {}) => fill(messages[k], values);
  const router = useRouter();
  const empty: Draft = {
    weekdays: ['mon'],
    startTime: '09:00',
    endTime: '10:40',
    fromDate: '',
    toDate: '',
    exceptDates: '',
    cameraId: '',
    room: '',
    timeZone: defaultTimeZone,
  };
  const [draft, setDraft] = useState<Draft>(empty);
  const [editing, setEditing] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [pending, setPending] = useState(false);

  const base = `/api/courses/${courseId}/timetables`;
  const body = () => ({
    weekdays: draft.weekdays,
    startTime: draft.startTime,
    endTime: draft.endTime,
    fromDate: draft.fromDate,
    toDate: draft.toDate,
    exceptDates: draft.exceptDates.split(/[\s,;]+/).filter(Boolean),
    cameraId: draft.cameraId || null,
    room: draft.room.trim() || null,
    timeZone: draft.timeZone.trim() || defaultTimeZone,
  });
  const change = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setPreview(null);
  };

  async function runPreview(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(undefined);
    setNotice(undefined);
    const result = await callApi<Preview>('POST', `${base}/preview`, {
      ...body(),
      ...(editing ? { timetableId: editing } : {}),
    });
    setPending(false);
    if (result.ok) setPreview(result.data);
    else setError(Object.values(result.fieldErrors)[0] ?? result.message);
  }

  async function save() {
    setPending(true);
    setError(undefined);
    const result = editing
      ? await callApi<{ sessions: Record<string, number> }>('PATCH', `${base}/${editing}`, body())
      : await callApi<{ sessions: Record<string, number> }>('POST', base, body());
    setPending(false);
    if (!result.ok) return setError(result.message);
    const s = result.data.sessions;
    setNotice(
      t('timetables.saved', {
        created: s.created ?? 0,
        updated: s.updated ?? 0,
        removed: s.removed ?? 0,
        kept: s.kept ?? 0,
      }),
    );
    setPreview(null);
    setEditing(null);
    setDraft(empty);
    router.refresh();
  }

  async function remove(timetableId: string) {
    if (!window.confirm(t('timetables.deleteConfirm'))) return;
    const result = await callApi<{ removed: number; kept: number }>('DELETE', `${base}/${timetableId}`);
    if (!result.ok) return setError(result.message);
    setNotice(t('timetables.saved', { created: 0, updated: 0, removed: result.data.removed, kept: result.data.kept }));
    router.refresh();
  }

  function edit(tt: TimetableView) {
    setEditing(tt.timetableId);
    setPreview(null);
    setNotice(undefined);
    setDraft({
      weekdays: tt.weekdayList,
      startTime: tt.startTime,
      endTime: tt.endTime,
      fromDate: tt.fromDate,
      toDate: tt.toDate,
      exceptDates: tt.exceptDates.join(', '),
      cameraId: tt.cameraId ?? '',
      room: tt.room ?? '',
      timeZone: tt.timeZone,
    });
  }

  const clashByDate = new Map<string, Preview['clashes']>();
  for (const c of preview?.clashes ?? []) clashByDate.set(c.date, [...(clashByDate.get(c.date) ?? []), c]);
  const input = 'mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm';
  const weekdayName = (d: string) => messages[`weekday.${d}` as MessageKey] ?? d;

  return (
    <div className="space-y-4">
      {timetables.length > 0 ? (
        <ul className="divide-y divide-slate-100 text-sm" data-testid="timetables">
          {timetables.map((tt) => (
            <li key={tt.timetableId} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span>
                <strong>
                  {tt.weekdayList.map(weekdayName).join(', ')} {tt.startTime}–{tt.endTime}
                </strong>{' '}
                · {tt.fromDate} – {tt.toDate} ({tt.timeZone}){tt.room ? ` · ${tt.room}` : ''}
                {tt.cameraName ? ` · ${tt.cameraName}` : ''}
                {tt.exceptDates.length > 0 ? ` · ${t('timetables.exceptShort')} ${tt.exceptDates.join(', ')}` : ''}
                <span className="ml-2 text-slate-500">
                  {t('timetables.counts', { n: tt.sessions, m: tt.upcoming })}
                </span>
              </span>
              <span className="flex gap-2">
                <button
                  type="button"
                  onClick={() => edit(tt)}
                  className="rounded-md border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100"
                >
                  {t('timetables.edit')}
                </button>
                <button
                  type="button"
                  onClick={() => remove(tt.timetableId)}
                  className="rounded-md border border-red-300 px-2 py-1 text-xs text-red-700 hover:bg-red-50"
                >
                  {t('timetables.delete')}
                </button>
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      <form
        onSubmit={runPreview}
        className="space-y-3 rounded-md border border-slate-200 p-3"
        data-testid="timetable-form"
        noValidate
      >
        <h3 className="font-medium">{editing ? t('timetables.editing') : t('timetables.add')}</h3>
        {editing ? <p className="text-xs text-slate-600">{t('timetables.futureOnly')}</p> : null}
        <fieldset className="flex flex-wrap gap-3 text-sm">
          <legend className="mb-1 text-sm font-medium">{t('timetables.weekdays')}</legend>
          {WEEKDAYS.map((d) => (
            <label key={d} className="flex items-center gap-1">
              <input
                type="checkbox"
                name={`weekday-${d}`}
                checked={draft.weekdays.includes(d)}
                onChange={(e) =>
                  change({
                    weekdays: e.target.checked
                      ? WEEKDAYS.filter((w) => w === d || draft.weekdays.includes(w))
                      : draft.weekdays.filter((w) => w !== d),
                  })
                }
              />
              {weekdayName(d)}
            </label>
          ))}
        </fieldset>
        <div className="grid gap-3 sm:grid-cols-3">
          <label className="block text-sm font-medium">
            {t('timetables.start')}
            <input
              type="time"
              name="startTime"
              value={draft.startTime}
              onChange={(e) => change({ startTime: e.target.value })}
              className={input}
            />
          </label>
          <label className="block text-sm font-medium">
            {t('timetables.end')}
            <input
              type="time"
              name="endTime"
              value={draft.endTime}
              onChange={(e) => change({ endTime: e.target.value })}
              className={input}
            />
          </label>
          <label className="block text-sm font-medium">
            {t('timetables.timeZone')}
            <input
              name="timeZone"
              value={draft.timeZone}
              onChange={(e) => change({ timeZone: e.target.value })}
              className={input}
            />
          </label>
          <label className="block text-sm font-medium">
            {t('timetables.from')}
            <input
              type="date"
              name="fromDate"
              value={draft.fromDate}
              onChange={(e) => change({ fromDate: e.target.value })}
              className={input}
            />
          </label>
          <label className="block text-sm font-medium">
            {t('timetables.to')}
            <input
              type="date"
              name="toDate"
              value={draft.toDate}
              onChange={(e) => change({ toDate: e.target.value })}
              className={input}
            />
          </label>
          <label className="block text-sm font-medium">
            {t('common.camera')}
            <select
              name="cameraId"
              value={draft.cameraId}
              onChange={(e) => change({ cameraId: e.target.value })}
              className={input}
            >
              <option value="">—</option>
              {cameras.map((c) => (
                <option key={c.cameraId} value={c.cameraId}>
                  {c.name}
                  {c.room ? ` (${c.room})` : ''}
                </option>
              ))}
            </select>
          </label>
          <label className="block text-sm font-medium">
            {t('common.room')}
            <input
              name="room"
              value={draft.room}
              onChange={(e) => change({ room: e.target.value })}
              className={input}
            />
          </label>
          <label className="block text-sm font-medium sm:col-span-2">
            {t('timetables.except')}
            <input
              name="exceptDates"
              value={draft.exceptDates}
              placeholder="2027-03-03, 2027-04-14"
              onChange={(e) => change({ exceptDates: e.target.value })}
              className={input}
            />
          </label>
        </div>
        {error ? (
          <p role="alert" className="text-sm text-red-600">
            {error}
          </p>
        ) : null}
        <div className="flex flex-wrap gap-2">
          <button
            type="submit"
            disabled={pending}
            className="rounded-md border border-slate-300 px-4 py-1.5 text-sm hover:bg-slate-100 disabled:opacity-60"
          >
            {t('timetables.preview')}
          </button>
          {editing ? (
            <button
              type="button"
              onClick={() => (setEditing(null), setDraft(empty), setPreview(null))}
              className="rounded-md px-3 py-1.5 text-sm text-slate-600 hover:underline"
            >
              {t('common.cancel')}
            </button>
          ) : null}
        </div>
        {preview ? (
          <div className="space-y-2" data-testid="timetable-preview">
            <p className="text-sm">{t('timetables.summary', { n: preview.toCreate })}</p>
            <ol className="grid gap-1 text-xs sm:grid-cols-3">
              {preview.occurrences.map((o) => {
                const clashes = clashByDate.get(o.date);
                return (
                  <li
                    key={o.date}
                    data-date={o.date}
                    data-state={clashes ? 'clash' : o.past ? 'past' : o.kept ? 'kept' : 'new'}
                    className={`rounded px-2 py-1 ${clashes ? 'bg-red-50 text-red-800' : o.past || o.kept ? 'bg-slate-50 text-slate-500' : 'bg-green-50 text-green-900'}`}
                  >
                    {weekdayName(WEEKDAYS[(new Date(`${o.date}T00:00:00Z`).getUTCDay() + 6) % 7]!)} {o.date}{' '}
                    {draft.startTime}–{draft.endTime}
                    {o.past ? ` · ${t('timetables.past')}` : o.kept ? ` · ${t('timetables.kept')}` : ''}
                    {clashes
                      ? ` · ${t('timetables.clash')} ${clashes.map((c) => `${c.courseCode} (${c.reason === 'camera' ? c.cameraName : c.reason === 'room' ? c.room : c.reason})`).join(', ')}`
                      : ''}
                  </li>
                );
              })}
            </ol>
            {preview.clashes.length > 0 ? (
              <p role="alert" className="text-sm text-red-700">
                {t('timetables.clashes', { n: clashByDate.size })}
              </p>
            ) : (
              <button
                type="button"
                onClick={save}
                disabled={pending}
                data-testid="timetable-save"
                className="rounded-md bg-blue-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-blue-700 disabled:opacity-60"
              >
                {editing
                  ? t('timetables.save', { n: preview.toCreate })
                  : t('timetables.create', { n: preview.toCreate })}
              </button>
            )}
          </div>
        ) : null}
        {notice ? (
          <p className="text-sm text-green-800" data-testid="timetable-notice">
            {notice}
          </p>
        ) : null}
      </form>
    </div>
  );
}
