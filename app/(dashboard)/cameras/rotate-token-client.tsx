'use client';

import { useState } from 'react';
import { callApi } from '@/components/forms/api';

/** Rotates a camera's push token and shows the new one once (it is not stored in clear). */
export function RotateToken({
  url,
  label,
  revealLabel,
  firmwareLabel,
}: {
  url: string;
  label: string;
  revealLabel: string;
  firmwareLabel?: string;
}) {
  const [token, setToken] = useState<string>();
  const [firmware, setFirmware] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  async function rotate() {
    if (!window.confirm(`${label}?`)) return;
    const result = await callApi<{ token: string; firmwareConfig: string | null }>('POST', url);
    if (result.ok) {
      setToken(result.data.token);
      setFirmware(result.data.firmwareConfig);
    } else setError(result.message);
  }
  return (
    <div className="text-xs">
      <button
        type="button"
        onClick={rotate}
        className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-100"
      >
        {label}
      </button>
      {token ? (
        <p className="mt-1 rounded bg-amber-50 p-1">
          {revealLabel} <code className="break-all">{token}</code>
        </p>
      ) : null}
      {firmware ? (
        <div className="mt-1 rounded bg-amber-50 p-1">
          {firmwareLabel}
          <pre className="overflow-x-auto font-mono">{firmware}</pre>
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
