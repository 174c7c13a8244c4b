/**
 * Calls the JSON API from client components; returns the parsed body or the error's sentences. The
 * API writes them in the user's language (`lang` cookie): `message` for the whole request and
 * `fields` with one sentence per field, shown next to its input.
 */
export type ApiResult<T = unknown> =
  | { ok: true; data: T }
  | {
      ok: false;
      status: number;
      code: string;
      message: string;
      fieldErrors: Record<string, string>;
      details: Record<string, unknown>;
    };

interface ApiErrorBody {
  error?: { code?: string; message?: string; fields?: Record<string, string>; details?: Record<string, unknown> };
}

export async function callApi<T = unknown>(method: string, url: string, body?: unknown): Promise<ApiResult<T>> {
  try {
    const res = await fetch(url, {
      method,
      headers: body === undefined || body instanceof FormData ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let data: unknown = null;
    try {
      data = text ? (JSON.parse(text) as unknown) : null;
    } catch {
      data = null;
    }
    if (res.ok) return { ok: true, data: data as T };
    const err = (data as ApiErrorBody | null)?.error;
    return {
      ok: false,
      status: res.status,
      code: err?.code ?? 'INTERNAL',
      message: err?.message ?? `${res.status} ${res.statusText}`.trim(),
      fieldErrors: err?.fields ?? {},
      details: err?.details ?? {},
    };
  } catch (e) {
    return {
      ok: false,
      status: 0,
      code: 'NETWORK',
      message: e instanceof Error ? e.message : 'Network error',
      fieldErrors: {},
      details: {},
    };
  }
}

/**
 * One line for an error: each field's sentence (named by `labels[field]` or the field) once, or the
 * request's sentence when no field carries one. The request's sentence is left out when the fields
 * already say it ("Check these fields: name." adds nothing to "Name: Fill in this field.").
 */
export function errorText(
  result: { message: string; fieldErrors: Record<string, string> },
  labels: Record<string, string> = {},
): string {
  const fields = Object.entries(result.fieldErrors);
  if (fields.length === 0) return result.message;
  return fields.map(([k, m]) => (m === result.message ? m : `${labels[k] ?? k}: ${m}`)).join(' ');
}
