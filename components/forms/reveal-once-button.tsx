'use client';

import { useState } from 'react';
import { callApi } from './api';

interface Props {
  url: string;
  label: string;
  /** Shown before the revealed value, e.g. "Push token (shown once — copy it now):". */
  revealLabel: string;
  /** The response field to show (a new camera token, a generated password). */
  field: string;
  /** JSON body to post (none by default). */
  body?: Record<string, unknown>;
  confirmText?: string;
}

/** Posts once after a confirmation and shows one field of the response, once (it is not stored in clear). */
export function RevealOnceButton({ url, label, revealLabel, field, body, confirmText }: Props) {
  const [value, setValue] = useState<string>();
  const [error, setError] = useState<string>();
  async function run() {
    if (!window.confirm(confirmText ?? `${label}?`)) return;
    setError(undefined);
    const result = await callApi<Record<string, unknown>>('POST', url, body);
    if (result.ok && typeof result.data?.[field] === 'string') setValue(String(result.data[field]));
    else setError(result.ok ? `The response has no ${field}` : result.message);
  }
  return (
    <div className="text-xs">
      <button type="button" onClick={run} className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-100">
        {label}
      </button>
      {value ? (
        <p className="mt-1 rounded bg-amber-50 p-1" data-testid="revealed-once">
          {revealLabel} <code className="break-all">{value}</code>
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
