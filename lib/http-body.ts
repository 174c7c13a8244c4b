/**
 * Request bodies read with a cap: a declared Content-Length over the cap is refused before reading,
 * and a body without one (chunked) is counted while it streams and cut off at the cap — a client
 * cannot make the server buffer more than it allows. Over the cap: 413 with a JSON message.
 */
import { AppError } from './errors';

export async function readBodyCapped(
  req: Request,
  maxBytes: number,
  what: string | (() => AppError) = 'request body',
): Promise<Buffer> {
  const tooLarge =
    typeof what === 'function'
      ? what
      : () => new AppError('PAYLOAD_TOO_LARGE', `The ${what} is larger than ${formatBytes(maxBytes)}`);
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/**
 * A multipart/form-data body read with `readBodyCapped`'s cap and parsed; anything that is not
 * multipart is a 400 with `notMultipart` as its message.
 */
export async function readMultipartCapped(
  req: Request,
  maxBytes: number,
  what: string | (() => AppError),
  notMultipart: string,
): Promise<FormData> {
  const raw = await readBodyCapped(req, maxBytes, what);
  return new Response(new Uint8Array(raw.buffer as ArrayBuffer, raw.byteOffset, raw.byteLength), {
    headers: { 'content-type': req.headers.get('content-type') ?? '' },
  })
    .formData()
    .catch(() => {
      throw new AppError('VALIDATION', notMultipart);
    });
}

/** The uploaded files among a form's `field` values (strings sent under the same name are ignored). */
export function formFiles(form: FormData, field: string): File[] {
  return form.getAll(field).filter((v): v is File => typeof v === 'object' && v !== null && 'arrayBuffer' in v);
}

function formatBytes(n: number): string {
  return n >= 1_000_000 ? `${Math.round(n / 1_000_000)} MB` : `${Math.round(n / 1000)} kB`;
}
