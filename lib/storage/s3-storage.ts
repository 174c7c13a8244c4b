import { setTimeout as sleep } from 'node:timers/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Counter } from 'prom-client';
import { backoffDelay } from '@/lib/backoff';
import { registry } from '@/lib/metrics';
import { keySegments, type ObjectStorage } from './types';

export const storageRetriesTotal = new Counter({
  name: 'storage_retries_total',
  help: 'Object storage (S3) requests retried after a transient error',
  labelNames: ['operation'] as const,
  registers: [registry],
});

const MiB = 1024 * 1024;

export interface S3StorageOptions {
  bucket: string;
  region?: string;
  /** Prepended to every key, e.g. `attendance/` to share a bucket; '' for none. */
  prefix?: string;
  /** Custom endpoint for S3-compatible stores (MinIO, Ceph, s3rver...). */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Default: the AWS SDK credential chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profile, role). */
  credentials?: S3ClientConfig['credentials'];
  /** Bodies larger than this go up in parts (default 8 MiB). */
  multipartThreshold?: number;
  /** Part size; S3 needs at least 5 MiB for every part but the last (default 8 MiB). */
  partSize?: number;
  /** Retries after the first attempt on transient errors (default 3). */
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Keys per ListObjects page (S3's maximum and default is 1000). */
  listPageSize?: number;
  /** Per-request timeout, so a hung server turns into an error instead of a stuck backup (default 30 s). */
  requestTimeoutMs?: number;
}

/** The store could not be reached or kept failing; says where, so the operator knows what to fix. */
export class StorageUnavailableError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'StorageUnavailableError';
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);
const THROTTLE_CODES = new Set([
  'SlowDown',
  'RequestTimeout',
  'RequestTimeTooSkewed',
  'InternalError',
  'ServiceUnavailable',
  'TimeoutError',
]);

type SdkError = {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
};

function networkCode(err: unknown): string | undefined {
  for (let e = err as SdkError | undefined, depth = 0; e && depth < 4; e = e.cause as SdkError | undefined, depth++) {
    if (e.code && NETWORK_CODES.has(e.code)) return e.code;
  }
  return undefined;
}

/** Transient: connection trouble, throttling, 5xx. A 4xx (bad key, denied, missing bucket) never gets better by retrying. */
export function isTransientS3Error(err: unknown): boolean {
  const e = err as SdkError;
  if (networkCode(err)) return true;
  if (e?.name && THROTTLE_CODES.has(e.name)) return true;
  const status = e?.$metadata?.httpStatusCode;
  return status === 429 || (status !== undefined && status >= 500);
}

function isNotFound(err: unknown): boolean {
  const e = err as SdkError;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/**
 * Objects in an S3 bucket (AWS or any S3-compatible store). A plain PutObject is atomic; larger bodies
 * go up as a multipart upload that only becomes visible on CompleteMultipartUpload and is aborted on
 * failure, so readers never see a partial object and no orphaned parts keep costing storage.
 */
export class S3Storage implements ObjectStorage {
  readonly client: S3Client;
  readonly bucket: string;
  private readonly prefix: string;
  private readonly where: string;
  private readonly opts: Required<
    Pick<
      S3StorageOptions,
      'multipartThreshold' | 'partSize' | 'listPageSize' | 'retries' | 'baseDelayMs' | 'maxDelayMs'
    >
  >;

  constructor(options: S3StorageOptions) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ? `${options.prefix.replace(/\/+$/, '')}/` : '';
    this.where = `s3://${options.bucket}/${this.prefix}${options.endpoint ? ` at ${options.endpoint}` : ''}`;
    this.opts = {
      multipartThreshold: options.multipartThreshold ?? 8 * MiB,
      partSize: Math.max(5 * MiB, options.partSize ?? 8 * MiB),
      listPageSize: options.listPageSize ?? 1000,
      retries: options.retries ?? 3,
      baseDelayMs: options.baseDelayMs ?? 200,
      maxDelayMs: options.maxDelayMs ?? 5_000,
    };
    this.client = new S3Client({
      region: options.region ?? 'us-east-1',
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle ?? false,
      credentials: options.credentials,
      // Our own retry loop below counts retries and names the store in the final error.
      maxAttempts: 1,
      // Only send checksums S3 requires: several S3-compatible stores reject the newer default ones.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { requestTimeout: options.requestTimeoutMs ?? 30_000, connectionTimeout: 5_000 },
    });
  }

  private objectKey(key: string): string {
    keySegments(key);
    return this.prefix + key;
  }

  /** Runs one request with capped exponential backoff on transient errors. */
  private async send<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (!isTransientS3Error(err)) throw err;
        if (attempt > this.opts.retries) {
          const code = networkCode(err);
          const what = code
            ? `cannot reach ${this.where} (${code})`
            : `${this.where} keeps failing (${(err as SdkError).name ?? 'error'}: ${(err as Error).message})`;
          throw new StorageUnavailableError(`${operation}: ${what} after ${attempt} attempt(s)`, err);
        }
        storageRetriesTotal.inc({ operation });
        await sleep(backoffDelay(attempt - 1, { baseMs: this.opts.baseDelayMs, maxMs: this.opts.maxDelayMs }));
      }
    }
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const Key = this.objectKey(key);
    if (bytes.byteLength > this.opts.multipartThreshold) return this.putMultipart(Key, bytes, contentType);
    await this.send('put', () =>
      this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: bytes, ContentType: contentType })),
    );
  }

  private async putMultipart(Key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const Bucket = this.bucket;
    const { UploadId } = await this.send('multipart.create', () =>
      this.client.send(new CreateMultipartUploadCommand({ Bucket, Key, ContentType: contentType })),
    );
    if (!UploadId) throw new Error(`${this.where}: CreateMultipartUpload returned no UploadId`);
    try {
      const parts: { ETag: string; PartNumber: number }[] = [];
      for (let offset = 0, PartNumber = 1; offset < bytes.byteLength; offset += this.opts.partSize, PartNumber++) {
        const Body = bytes.subarray(offset, offset + this.opts.partSize);
        const { ETag } = await this.send('multipart.part', () =>
          this.client.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body })),
        );
        if (!ETag) throw new Error(`${this.where}: UploadPart ${PartNumber} returned no ETag`);
        parts.push({ ETag, PartNumber });
      }
      await this.send('multipart.complete', () =>
        this.client.send(
          new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }),
        ),
      );
    } catch (err) {
      // Best effort: the original error is the one worth reporting. Lifecycle rules catch what this misses.
      await this.client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => undefined);
      throw err;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    const Key = this.objectKey(key);
    try {
      return await this.send('get', async () => {
        const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }));
        // Read the body inside the retried call: a connection dropped mid-body is retried too.
        return Buffer.from((await out.Body?.transformToByteArray()) ?? new Uint8Array());
      });
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    const Key = this.objectKey(key);
    await this.send('delete', () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key })));
  }

  async exists(key: string): Promise<boolean> {
    const Key = this.objectKey(key);
    try {
      await this.send('exists', () => this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key })));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async list(prefix: string): Promise<string[]> {
    // ListObjects (v1) paged by Marker = last key: every S3-compatible store supports it, whereas v2's
    // opaque continuation tokens break on some (s3rver encrypts them with DES, which OpenSSL 3 lacks).
    const out: string[] = [];
    let Marker: string | undefined;
    for (;;) {
      const page = await this.send('list', () =>
        this.client.send(
          new ListObjectsCommand({
            Bucket: this.bucket,
            Prefix: this.prefix + prefix,
            Marker,
            MaxKeys: this.opts.listPageSize,
          }),
        ),
      );
      const keys = (page.Contents ?? []).map((o) => o.Key).filter((k): k is string => Boolean(k));
      for (const k of keys) out.push(k.slice(this.prefix.length));
      if (!page.IsTruncated || keys.length === 0) break;
      Marker = keys[keys.length - 1];
    }
    return out.sort();
  }

  close(): void {
    this.client.destroy();
  }
}
