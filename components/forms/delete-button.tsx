'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { callApi } from './api';

interface Props {
  url: string;
  label: string;
  /** What will be deleted, in a sentence (shown before anything happens). */
  confirmText: string;
  confirmLabel: string;
  cancelLabel: string;
  /** Label of the second step when the server answers 409 with `details.cascade` (something new depends on it). */
  cascadeLabel: string;
  /** Send `?cascade=true` at once: the page already told the user what goes with it (`confirmText`). */
  cascade?: boolean;
  /** Where to go after deleting (the list page); stays and refreshes when omitted. */
  redirectTo?: string;
  testId?: string;
}

const withCascade = (url: string) => `${url}${url.includes('?') ? '&' : '?'}cascade=true`;

/**
 * Delete with a confirmation step in the page (no browser dialog): the first click only shows what
 * will go and two buttons. When the server refuses with a 409 that offers a cascade (attendance or
 * sessions appeared since the page was drawn), its sentence replaces the question and the second
 * button deletes with them.
 */
export function DeleteButton({
  url,
  label,
  confirmText,
  confirmLabel,
  cancelLabel,
  cascadeLabel,
  cascade,
  redirectTo,
  testId,
}: Props) {
  const router = useRouter();
  const [step, setStep] = useState<'idle' | 'confirm' | 'cascade'>('idle');
  const [question, setQuestion] = useState(confirmText);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();

  async function run(withDependents: boolean) {
    setPending(true);
    setError(undefined);
    const result = await callApi('DELETE', withDependents ? withCascade(url) : url);
    setPending(false);
    if (result.ok) {
      setStep('idle');
      // push alone: a refresh right after it would re-render the page that was just deleted (a 404) instead.
      if (redirectTo) router.push(redirectTo);
      else router.refresh();
      return;
    }
    if (result.status === 409 && result.details.cascade === true) {
      setQuestion(result.message);
      setStep('cascade');
      return;
    }
    setError(result.message);
  }

  const button = 'rounded-md px-3 py-1 text-sm disabled:opacity-60';
  if (step === 'idle') {
    return (
      <button
        type="button"
        data-testid={testId}
        onClick={() => (setQuestion(confirmText), setStep('confirm'))}
        className={`${button} border border-red-300 bg-white text-red-700 hover:bg-red-50`}
      >
        {label}
      </button>
    );
  }
  return (
    <div
      role="alertdialog"
      aria-label={label}
      className="max-w-md rounded-md border border-red-300 bg-red-50 p-3 text-sm"
    >
      <p className="mb-2 text-red-900">{question}</p>
      <div className="flex gap-2">
        <button
          type="button"
          disabled={pending}
          onClick={() => run(step === 'cascade' || Boolean(cascade))}
          className={`${button} bg-red-600 font-medium text-white hover:bg-red-700`}
        >
          {pending ? '…' : step === 'cascade' ? cascadeLabel : confirmLabel}
        </button>
        <button
          type="button"
          disabled={pending}
          onClick={() => (setStep('idle'), setError(undefined))}
          className={`${button} border border-slate-300 bg-white hover:bg-slate-100`}
        >
          {cancelLabel}
        </button>
      </div>
      {error ? (
        <p role="alert" className="mt-2 text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
