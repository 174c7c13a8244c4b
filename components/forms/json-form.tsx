'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { callApi } from './api';

export interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'url' | 'password' | 'datetime-local' | 'number' | 'select' | 'textarea';
  required?: boolean;
  options?: { value: string; label: string }[];
  defaultValue?: string;
  placeholder?: string;
  /** e.g. 'new-password', so a browser does not fill in the signed-in admin's own saved password. */
  autoComplete?: string;
  /** 'lines': textarea split into a string array; 'date': datetime-local to ISO; 'int': number. */
  as?: 'lines' | 'date' | 'int';
}

interface Props {
  method?: 'POST' | 'PATCH';
  url: string;
  fields: FieldSpec[];
  submitLabel: string;
  /** Fixed values sent with every submit. */
  extra?: Record<string, unknown>;
  /** A response field shown once after success (e.g. a camera's push token). */
  revealKey?: string;
  revealLabel?: string;
  /** Renders the result as a short JSON summary (bulk enrolment counts). */
  showResult?: boolean;
}

function valueOf(spec: FieldSpec, raw: string): unknown {
  if (raw === '') return spec.type === 'select' ? null : undefined;
  if (spec.as === 'lines') return raw.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
  if (spec.as === 'date') return new Date(raw).toISOString();
  if (spec.as === 'int') return Number(raw);
  return raw;
}

/** A small form that posts JSON to the API and shows per-field errors from the zod issues. */
export function JsonForm({ method = 'POST', url, fields, submitLabel, extra, revealKey, revealLabel, showResult }: Props) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [revealed, setRevealed] = useState<string>();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const body: Record<string, unknown> = { ...extra };
    for (const f of fields) {
      const v = valueOf(f, String(data.get(f.name) ?? '').trim());
      if (v !== undefined) body[f.name] = v;
    }
    setPending(true);
    setError(undefined);
    setFieldErrors({});
    const result = await callApi<Record<string, unknown>>(method, url, body);
    setPending(false);
    if (!result.ok) {
      setError(result.message);
      setFieldErrors(result.fieldErrors);
      return;
    }
    if (revealKey && typeof result.data?.[revealKey] === 'string') setRevealed(String(result.data[revealKey]));
    else if (showResult) setRevealed(JSON.stringify(result.data));
    form.reset();
    router.refresh();
  }

  const input = 'mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm focus:border-blue-500 focus:outline-none';
  return (
    <form onSubmit={onSubmit} className="space-y-3" noValidate>
      <div className="grid gap-3 sm:grid-cols-2">
        {fields.map((f) => (
          <label key={f.name} className={f.type === 'textarea' ? 'block sm:col-span-2' : 'block'}>
            <span className="text-sm font-medium">{f.label}</span>
            {f.type === 'select' ? (
              <select name={f.name} defaultValue={f.defaultValue ?? ''} className={input} required={f.required}>
                {f.required ? null : <option value="">—</option>}
                {f.options?.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            ) : f.type === 'textarea' ? (
              <textarea name={f.name} rows={4} defaultValue={f.defaultValue} placeholder={f.placeholder} className={input} required={f.required} />
            ) : (
              <input name={f.name} type={f.type ?? 'text'} defaultValue={f.defaultValue} placeholder={f.placeholder} autoComplete={f.autoComplete} className={input} required={f.required} />
            )}
            {fieldErrors[f.name] ? (
              <span role="alert" className="text-xs text-red-600">
                {fieldErrors[f.name]}
              </span>
            ) : null}
          </label>
        ))}
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
      {revealed ? (
        <p className="rounded-md bg-amber-50 p-2 text-sm" data-testid="revealed">
          {revealLabel} <code className="break-all font-mono">{revealed}</code>
        </p>
      ) : null}
      <button type="submit" disabled={pending} className="rounded-md bg-blue-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-blue-700 disabled:opacity-60">
        {pending ? '…' : submitLabel}
      </button>
    </form>
  );
}
