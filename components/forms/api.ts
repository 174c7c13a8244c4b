/** Calls the JSON API from client components; returns the parsed body or a readable error. */
export type ApiResult<T = unknown> = { ok: true; data: T } | { ok: false; message: string; fieldErrors: Record<string, string> };

interface ZodIssueLike {
  path?: (string | number)[];
  message?: string;
}

export async function callApi<T = unknown>(method: string, url: string, body?: unknown): Promise<ApiResult<T>> {
  try {
    const res = await fetch(url, {
      method,
      headers: body === undefined || body instanceof FormData ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
    const text = await res.text();
    const data = text ? (JSON.parse(text) as unknown) : null;
    if (res.ok) return { ok: true, data: data as T };
    const err = (data as { error?: { message?: string; details?: { issues?: ZodIssueLike[] } } } | null)?.error;
    const fieldErrors: Record<string, string> = {};
    for (const issue of err?.details?.issues ?? []) {
      const key = String(issue.path?.[0] ?? '');
      if (key && !fieldErrors[key]) fieldErrors[key] = issue.message ?? 'invalid';
    }
    return { ok: false, message: err?.message ?? `Request failed (${res.status})`, fieldErrors };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : 'Network error', fieldErrors: {} };
  }
}
