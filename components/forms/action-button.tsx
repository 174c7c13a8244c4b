'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { callApi } from './api';

interface Props {
  method: 'POST' | 'PATCH' | 'DELETE';
  url: string;
  body?: Record<string, unknown>;
  label: string;
  /** Asks before acting (destructive actions). */
  confirmText?: string;
  /** Asks for a reason and sends it as `body.reason` (audited corrections). */
  reasonPrompt?: string;
  variant?: 'default' | 'danger' | 'primary';
}

const styles = {
  default: 'border border-slate-300 bg-white hover:bg-slate-100',
  danger: 'border border-red-300 bg-white text-red-700 hover:bg-red-50',
  primary: 'bg-blue-600 text-white hover:bg-blue-700',
};

/** A button that calls one API route, then refreshes the server-rendered page. */
export function ActionButton({ method, url, body, label, confirmText, reasonPrompt, variant = 'default' }: Props) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();

  async function run() {
    if (confirmText && !window.confirm(confirmText)) return;
    let payload = body;
    if (reasonPrompt) {
      const reason = window.prompt(reasonPrompt);
      if (reason === null) return;
      payload = { ...body, reason };
    }
    setPending(true);
    setError(undefined);
    const result = await callApi(method, url, payload);
    setPending(false);
    if (!result.ok) {
      setError(Object.values(result.fieldErrors)[0] ?? result.message);
      return;
    }
    router.refresh();
  }

  return (
    <span className="inline-flex flex-col">
      <button
        type="button"
        onClick={run}
        disabled={pending}
        className={`rounded-md px-3 py-1 text-sm whitespace-nowrap disabled:opacity-60 ${styles[variant]}`}
      >
        {pending ? '…' : label}
      </button>
      {error ? (
        <span role="alert" className="mt-1 text-xs text-red-600">
          {error}
        </span>
      ) : null}
    </span>
  );
}
