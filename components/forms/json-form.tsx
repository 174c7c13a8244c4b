'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
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
  /** Edit forms: an emptied field is sent as null (clears the value) instead of being left out. */
  nullable?: boolean;
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
  /** Shows the response's `summary` sentence after success (bulk enrolment). */
  showResult?: boolean;
  /** Edit forms keep the saved values in the inputs and say so (`savedLabel`); create forms empty them. */
  savedLabel?: string;
  testId?: string;
  /** Asks before sending when this date field lies in the past (a session in 2019 is most likely a typo). */
  confirmPast?: { field: string; message: string };
}

function valueOf(spec: FieldSpec, raw: string): unknown {
  // An emptied required field is sent empty, so the API refuses it in words (left out, an edit would keep the old value and say "Saved.").
  if (raw === '' && spec.required && spec.type !== 'select') return '';
  if (raw === '') return spec.type === 'select' || spec.nullable ? null : undefined;
  if (spec.as === 'lines')
    return raw
      .split(/[\s,;]+/)
      .map((s) => s.trim())
      .filter(Boolean);
  if (spec.as === 'date') return new Date(raw).toISOString();
  if (spec.as === 'int') return Number(raw);
  return raw;
}

/** A small form that posts JSON to the API and shows the API's sentence for each field next to it. */
export function JsonForm({
  method = 'POST',
  url,
  fields,
  submitLabel,
  extra,
  revealKey,
  revealLabel,
  showResult,
  savedLabel,
  testId,
  confirmPast,
}: Props) {
  const router = useRouter();
  const formId = useId();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [revealed, setRevealed] = useState<string>();
  const [notice, setNotice] = useState<string>();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const body: Record<string, unknown> = { ...extra };
    for (const f of fields) {
      const v = valueOf(f, String(data.get(f.name) ?? '').trim());
      if (v !== undefined) body[f.name] = v;
    }
    const when = confirmPast ? body[confirmPast.field] : undefined;
    if (typeof when === 'string' && Date.parse(when) < Date.now() && !window.confirm(confirmPast!.message)) return;
    setPending(true);
    setError(undefined);
    setFieldErrors({});
    setNotice(undefined);
    const result = await callApi<Record<string, unknown>>(method, url, body);
    setPending(false);
    if (!result.ok) {
      const shown = Object.keys(result.fieldErrors).filter((k) => fields.some((f) => f.name === k));
      setFieldErrors(result.fieldErrors);
      // The sentence at the top only when no field carries it.
      setError(shown.length > 0 ? undefined : result.message);
      return;
    }
    if (revealKey && typeof result.data?.[revealKey] === 'string') setRevealed(String(result.data[revealKey]));
    else if (showResult && typeof result.data?.summary === 'string') setNotice(result.data.summary);
    if (savedLabel) setNotice(savedLabel);
    else form.reset();
    router.refresh();
  }

  const input =
    'mt-1 block w-full rounded-md border border-slate-300 px-2 py-1 text-sm focus:border-blue-500 focus:outline-none aria-[invalid=true]:border-red-500';
  return (
    <form onSubmit={onSubmit} className="space-y-3" noValidate data-testid={testId}>
      <div className="grid gap-3 sm:grid-cols-2">
        {fields.map((f) => {
          const errorId = `${formId}-${f.name}-error`;
          const common = {
            name: f.name,
            className: input,
            required: f.required,
            'aria-invalid': fieldErrors[f.name] ? true : undefined,
            'aria-describedby': fieldErrors[f.name] ? errorId : undefined,
          };
          return (
            <label key={f.name} className={f.type === 'textarea' ? 'block sm:col-span-2' : 'block'}>
              <span className="text-sm font-medium">{f.label}</span>
              {f.type === 'select' ? (
                <select {...common} defaultValue={f.defaultValue ?? ''}>
                  {f.required ? null : <option value="">—</option>}
                  {f.options?.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              ) : f.type === 'textarea' ? (
                <textarea {...common} rows={4} defaultValue={f.defaultValue} placeholder={f.placeholder} />
              ) : (
                <input
                  {...common}
                  type={f.type ?? 'text'}
                  defaultValue={f.defaultValue}
                  placeholder={f.placeholder}
                  autoComplete={f.autoComplete}
                />
              )}
              {fieldErrors[f.name] ? (
                <span id={errorId} role="alert" className="text-xs text-red-600" data-field-error={f.name}>
                  {fieldErrors[f.name]}
                </span>
              ) : null}
            </label>
          );
        })}
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      ) : null}
      {notice ? (
        <p role="status" className="text-sm text-green-700" data-testid="form-notice">
          {notice}
        </p>
      ) : null}
      {revealed ? (
        <p className="rounded-md bg-amber-50 p-2 text-sm" data-testid="revealed">
          {revealLabel} <code className="break-all font-mono">{revealed}</code>
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-blue-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-blue-700 disabled:opacity-60"
      >
        {pending ? '…' : submitLabel}
      </button>
    </form>
  );
}
