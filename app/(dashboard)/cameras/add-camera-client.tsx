'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { callApi, errorText } from '@/components/forms/api';
import type { MessageKey } from '@/lib/i18n/dictionary';

/**
 * Adds a camera. A pull camera must have its stream URL (the API says so in words otherwise); a push
 * camera's token is shown once, as the exact config.h lines the firmware needs.
 */
export function AddCamera({ messages }: { messages: Record<MessageKey, string> }) {
  const t = (k: MessageKey) => messages[k];
  const router = useRouter();
  const [mode, setMode] = useState<'push' | 'pull'>('push');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const [firmware, setFirmware] = useState<string | null>(null);
  const [pullAdded, setPullAdded] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const value = (k: string) => String(data.get(k) ?? '').trim() || undefined;
    setPending(true);
    setError(undefined);
    setFirmware(null);
    setPullAdded(false);
    const result = await callApi<{ firmwareConfig: string | null }>('POST', '/api/cameras', {
      name: value('name'),
      room: value('room'),
      mode,
      streamUrl: mode === 'pull' ? value('streamUrl') : undefined,
      liveness: value('liveness'),
    });
    setPending(false);
    if (!result.ok)
      return setError(
        errorText(result, { name: t('common.name'), room: t('common.room'), streamUrl: t('cameras.streamUrl') }),
      );
    if (result.data.firmwareConfig) setFirmware(result.data.firmwareConfig);
    else setPullAdded(true);
    form.reset();
    setMode('push');
    router.refresh();
  }

  const input = 'mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm';
  return (
    <form onSubmit={submit} className="space-y-3" noValidate data-testid="add-camera">
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="block text-sm font-medium">
          {t('common.name')}
          <input name="name" required className={input} />
        </label>
        <label className="block text-sm font-medium">
          {t('common.room')}
          <input name="room" className={input} />
        </label>
        <label className="block text-sm font-medium">
          {t('cameras.mode')}
          <select
            name="mode"
            value={mode}
            onChange={(e) => setMode(e.target.value as 'push' | 'pull')}
            className={input}
          >
            <option value="push">push</option>
            <option value="pull">pull (MJPEG)</option>
          </select>
        </label>
        {mode === 'pull' ? (
          <label className="block text-sm font-medium">
            {t('cameras.streamUrl')} <span className="font-normal text-slate-500">({t('cameras.streamUrlHint')})</span>
            <input name="streamUrl" type="url" required placeholder="http://192.168.1.50:81/stream" className={input} />
          </label>
        ) : null}
        <label className="block text-sm font-medium">
          {t('cameras.liveness')}
          <select name="liveness" defaultValue="flag" className={input}>
            <option value="flag">{t('cameras.livenessFlag')}</option>
            <option value="block">{t('cameras.livenessBlock')}</option>
            <option value="off">{t('cameras.livenessOff')}</option>
          </select>
        </label>
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
      {firmware ? (
        <div className="rounded-md bg-amber-50 p-2 text-sm" data-testid="firmware-config">
          <p>{t('cameras.firmwareLines')}</p>
          <pre className="mt-1 overflow-x-auto rounded bg-white p-2 font-mono text-xs">{firmware}</pre>
        </div>
      ) : null}
      {pullAdded ? (
        <p className="text-sm text-green-800" data-testid="pull-added">
          {t('cameras.pullCreated')}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-blue-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-blue-700 disabled:opacity-60"
      >
        {pending ? '…' : t('common.create')}
      </button>
    </form>
  );
}
