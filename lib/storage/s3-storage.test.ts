import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, startS3Server, type FaultProxy, type TestS3 } from '@/test/helpers/s3-server';
import { S3Storage, StorageUnavailableError } from './s3-storage';
import { InvalidStorageKeyError } from './types';

let s3: TestS3;
let proxy: FaultProxy;

beforeAll(async () => {
  s3 = await startS3Server();
  proxy = await startFaultProxy(s3.endpoint);
});

afterAll(async () => {
  await proxy?.close();
  await s3?.stop();
});

const storageAt = (endpoint: string, extra: Partial<ConstructorParameters<typeof S3Storage>[0]> = {}) =>
  new S3Storage({
    bucket: s3.bucket,
    endpoint,
    forcePathStyle: true,
    credentials: s3.credentials,
    baseDelayMs: 5,
    maxDelayMs: 20,
    ...extra,
  });

describe('S3Storage against s3rver', () => {
  it('puts, gets, checks, lists and deletes under its prefix', async () => {
    const storage = storageAt(s3.endpoint, { prefix: 'tenant-a/' });
    const other = storageAt(s3.endpoint, { prefix: 'tenant-b' });
    await storage.put('photos/s1/b.jpg', Buffer.from('one'), 'image/jpeg');
    await storage.put('photos/s1/a.jpg', Buffer.from('two'), 'image/jpeg');
    await storage.put('unknown/x.jpg', Buffer.from('three'), 'image/jpeg');
    await other.put('photos/s1/z.jpg', Buffer.from('other tenant'), 'image/jpeg');
    expect((await storage.get('photos/s1/a.jpg'))?.toString()).toBe('two');
    expect(await storage.exists('photos/s1/a.jpg')).toBe(true);
    expect(await storage.list('photos/')).toEqual(['photos/s1/a.jpg', 'photos/s1/b.jpg']);
    expect(await storage.list('')).toHaveLength(3);
    await storage.delete('photos/s1/a.jpg');
    expect(await storage.exists('photos/s1/a.jpg')).toBe(false);
    expect(await storage.get('photos/s1/a.jpg')).toBeNull();
    await expect(storage.delete('photos/never.jpg')).resolves.toBeUndefined();
    expect(await other.list('photos/')).toEqual(['photos/s1/z.jpg']);
  });

  it('rejects keys that could mean something else on another backend', async () => {
    const storage = storageAt(s3.endpoint);
    await expect(storage.put('../x', Buffer.from('x'), 'text/plain')).rejects.toThrow(InvalidStorageKeyError);
    await expect(storage.get('/abs')).rejects.toThrow(InvalidStorageKeyError);
  });

  it('lists past one page', async () => {
    const storage = storageAt(proxy.endpoint, { prefix: 'many', listPageSize: 10 });
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        storage.put(`k/${String(i).padStart(4, '0')}`, Buffer.from([i]), 'application/octet-stream'),
      ),
    );
    const before = proxy.requests.length;
    const keys = await storage.list('k/');
    expect(keys).toHaveLength(25);
    expect(keys[24]).toBe('k/0024');
    expect(proxy.requests.slice(before).filter((r) => r.startsWith('GET') && r.includes('max-keys=10'))).toHaveLength(
      3,
    );
  });

  it('uploads a 20 MB object in parts and reads it back byte for byte', async () => {
    const storage = storageAt(proxy.endpoint, { prefix: 'big' });
    const bytes = randomBytes(20 * 1024 * 1024);
    const before = proxy.requests.length;
    await storage.put('backups/large.bin', bytes, 'application/octet-stream');
    const seen = proxy.requests.slice(before);
    expect(seen.filter((r) => r.startsWith('POST') && r.includes('uploads'))).toHaveLength(1);
    expect(seen.filter((r) => r.startsWith('PUT') && r.includes('partNumber='))).toHaveLength(3); // 8 + 8 + 4 MiB
    expect(seen.filter((r) => r.startsWith('POST') && r.includes('uploadId='))).toHaveLength(1);
    expect((await storage.get('backups/large.bin'))?.equals(bytes)).toBe(true);
  }, 60_000);

  it('retries transient errors (503, 500) with backoff and then succeeds', async () => {
    const storage = storageAt(proxy.endpoint, { prefix: 'retry', retries: 3 });
    proxy.fail(2, 503, (req) => req.method === 'PUT');
    await storage.put('a.txt', Buffer.from('after retries'), 'text/plain');
    proxy.fail(1, 500, (req) => req.method === 'GET');
    expect((await storage.get('a.txt'))?.toString()).toBe('after retries');
  });

  it('aborts a multipart upload whose part keeps failing and leaves no object or parts behind', async () => {
    const storage = storageAt(proxy.endpoint, { prefix: 'abort', retries: 1 });
    proxy.fail(10, 500, (req) => req.method === 'PUT' && (req.url ?? '').includes('partNumber=2'));
    await expect(storage.put('half.bin', randomBytes(17 * 1024 * 1024), 'application/octet-stream')).rejects.toThrow(
      StorageUnavailableError,
    );
    expect(await storage.exists('half.bin')).toBe(false);
    expect(proxy.requests.some((r) => r.startsWith('DELETE') && r.includes('uploadId='))).toBe(true);
    const uploads = await storage.client
      .send(new ListMultipartUploadsCommand({ Bucket: s3.bucket, Prefix: 'abort/' }))
      .catch(() => undefined);
    expect(uploads?.Uploads ?? []).toHaveLength(0);
  }, 60_000);

  it('does not retry a client error (wrong bucket)', async () => {
    const storage = new S3Storage({
      bucket: 'no-such-bucket',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: s3.credentials,
      baseDelayMs: 5,
    });
    await expect(storage.put('a.txt', Buffer.from('x'), 'text/plain')).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('a server that is down fails fast with a clear error naming the store, after retrying', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const storage = storageAt(`http://127.0.0.1:${port}`, { retries: 2 });
    const t0 = Date.now();
    const err = await storage.get('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageUnavailableError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `get: cannot reach s3://${s3.bucket}/ at http://127.0.0.1:${port} \\(ECONNREFUSED\\) after 3 attempt\\(s\\)`,
      ),
    );
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});
