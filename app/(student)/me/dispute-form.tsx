'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { callApi } from '@/components/forms/api';

interface Labels {
  wasThere: string;
  notMe: string;
  text: string;
  send: string;
  sent: string;
  open: string;
}

/** "Dispute this" under one session of the student's page: the kind, a short text, sent to the lecturer. */
export function DisputeForm({
  sessionId,
  suggested,
  labels,
}: {
  sessionId: string;
  suggested: 'was_there' | 'not_me';
  labels: Labels;
}) {
  const router = useRouter();
  const [kind, setKind] = useState(suggested);
  const [text, setText] = useState('');
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string>();

  async function send(e: React.FormEvent) {
    e.preventDefault();
    setPending(true);
    const result = await callApi('POST', '/api/me/disputes', { sessionId, kind, text });
    setPending(false);
    if (!result.ok) {
      setMessage(Object.values(result.fieldErrors)[0] ?? result.message);
      return;
    }
    setMessage(labels.sent);
    router.refresh();
  }

  return (
    <details className="mt-2 text-sm">
      <summary className="cursor-pointer text-blue-700">{labels.open}</summary>
      <form onSubmit={send} className="mt-2 space-y-2" aria-label={labels.open}>
        <fieldset className="flex flex-wrap gap-4">
          {(['was_there', 'not_me'] as const).map((k) => (
            <label key={k} className="flex items-center gap-1">
              <input type="radio" name={`kind-${sessionId}`} checked={kind === k} onChange={() => setKind(k)} />
              {k === 'was_there' ? labels.wasThere : labels.notMe}
            </label>
          ))}
        </fieldset>
        <label className="block">
          <span className="text-slate-600">{labels.text}</span>
          <textarea
            value={text}
            onChange={(e) => setText(e.target.value)}
            maxLength={500}
            required
            rows={2}
            className="mt-1 block w-full rounded-md border border-slate-300 p-2"
          />
        </label>
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-blue-600 px-3 py-1.5 text-white hover:bg-blue-700 disabled:opacity-50"
        >
          {labels.send}
        </button>
        {message ? (
          <p role="status" className="text-slate-700">
            {message}
          </p>
        ) : null}
      </form>
    </details>
  );
}
