import { describe, expect, it } from 'vitest';
import { readBodyCapped } from './http-body';

const streamOf = (bytes: number, chunk = 64 * 1024) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (let sent = 0; sent < bytes; sent += chunk) c.enqueue(new Uint8Array(Math.min(chunk, bytes - sent)));
      c.close();
    },
  });

describe('readBodyCapped', () => {
  it('reads a body under the cap', async () => {
    expect((await readBodyCapped(new Request('http://x', { method: 'POST', body: '{"a":1}' }), 100)).toString()).toBe(
      '{"a":1}',
    );
  });

  it('refuses a declared Content-Length over the cap before reading, and a chunked body once it passes the cap', async () => {
    const declared = new Request('http://x', {
      method: 'POST',
      body: 'x'.repeat(10),
      headers: { 'content-length': '5000000' },
    });
    await expect(readBodyCapped(declared, 1_000_000, 'JSON body')).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The JSON body is larger than 1 MB',
    });
    const chunked = new Request('http://x', {
      method: 'POST',
      body: streamOf(3_000_000),
      duplex: 'half',
    } as RequestInit);
    await expect(readBodyCapped(chunked, 1_000_000)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });
});
