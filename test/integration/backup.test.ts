/**
 * Face-feature backups end to end: real MariaDB (two throwaway databases) and a real S3 API server
 * (s3rver on loopback, optionally behind a fault-injecting proxy). Embeddings are synthetic unit
 * vectors; recognition equivalence is checked with the real EmbeddingMatcher.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb } from '@/db/client';
import { dropDatabase } from '@/db/create-database';
import { runMigrations } from '@/db/migrate';
import { faceTemplates, float32ToBuffer, type FaceTemplate as TemplateRow } from '@/db/schema';
import {
  createBackup,
  listBackupManifests,
  listBackups,
  pruneBackups,
  restoreBackup,
  rotateBackups,
} from '@/lib/backup/backups';
import { backupIdOf, dataKey, manifestKey } from '@/lib/backup/backup-format';
import { countFaceDataRows } from '@/lib/data/backup-rows';
import { sha256Hex } from '@/lib/sha256';
import { enrollStudent } from '@/lib/data/courses';
import { insertPhotoWithTemplate } from '@/lib/data/face-photos';
import { deleteStudentBiometrics } from '@/lib/enrollment/enroll-photo';
import { resetEnvCache } from '@/lib/env';
import { EmbeddingMatcher } from '@/lib/face/embedding-matcher';
import type { Identification } from '@/lib/face/types';
import { S3Storage, StorageUnavailableError } from '@/lib/storage';
import { makeCourse, makeStudent } from '@/test/factories';
import { startFaultProxy, startS3Server, type FaultProxy, type TestS3 } from '@/test/helpers/s3-server';
import { throwawayUrl, useThrowawayDatabase } from './throwaway-db';
import { decodeBackup, isEncryptedBackup } from '@/lib/backup/backup-format';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const DIMS = 256;
useThrowawayDatabase();
const target = throwawayUrl();
let s3: TestS3;
let proxy: FaultProxy;
let storage: S3Storage;
let flaky: S3Storage;
let dataDir: string;

/** A seeded pseudo-random unit vector, so identities are distinct and probes are noisy copies. */
function vector(seed: number, noiseOf?: Float32Array, noise = 0): Float32Array {
  let x = seed * 2654435761;
  const rnd = () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const v = new Float32Array(DIMS).map((_, i) =>
    noiseOf ? (noiseOf[i] as number) + (noise * rnd()) / Math.sqrt(DIMS) : rnd(),
  );
  const n = Math.hypot(...v);
  return v.map((a) => a / n);
}

const readTemplates = (): Promise<TemplateRow[]> =>
  getDb().select().from(faceTemplates).orderBy(asc(faceTemplates.templateId));

function matcherOf(rows: TemplateRow[]): EmbeddingMatcher {
  const m = new EmbeddingMatcher({ model: 'test-embedder', version: '1', threshold: 0.5, minMargin: 0.02 });
  for (const r of rows)
    if (r.model === 'test-embedder') m.add(r.studentId, { model: r.model, version: r.modelVersion, data: r.embedding });
  return m;
}

const base: Float32Array[] = [];
let sourceTemplates: TemplateRow[];
let erased: { studentId: string; templateIds: string[] };

beforeAll(async () => {
  s3 = await startS3Server('backups');
  proxy = await startFaultProxy(s3.endpoint);
  const opts = {
    bucket: s3.bucket,
    forcePathStyle: true,
    credentials: s3.credentials,
    prefix: 'att',
    baseDelayMs: 5,
    maxDelayMs: 20,
    retries: 1,
  };
  storage = new S3Storage({ ...opts, endpoint: s3.endpoint });
  flaky = new S3Storage({ ...opts, endpoint: proxy.endpoint });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'backup-cli-'));

  const course = await makeCourse();
  for (let i = 0; i < 8; i++) {
    const student = await makeStudent();
    await enrollStudent(course.courseId, student.studentId);
    base.push(vector(i + 1));
    for (let j = 0; j < 3; j++) {
      const photoId = crypto.randomUUID();
      const embedding = float32ToBuffer(vector(100 * i + j, base[i], 0.5).map((a) => a));
      await insertPhotoWithTemplate(
        {
          photoId,
          studentId: student.studentId,
          storageKey: `photos/${student.studentId}/${photoId}.jpg`,
          contentSha256: `${i}${j}`.padEnd(64, '0'),
          quality: { sharpness: 0.5 + j },
          accepted: true,
          reason: null,
        },
        { model: j === 2 ? 'other-model' : 'test-embedder', modelVersion: '1', dims: DIMS, embedding },
      );
    }
  }
  sourceTemplates = await readTemplates();
  const victim = sourceTemplates[0]!.studentId;
  erased = {
    studentId: victim,
    templateIds: sourceTemplates.filter((t) => t.studentId === victim).map((t) => t.templateId),
  };
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await s3?.stop();
  await dropDatabase(target).catch(() => undefined);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('face-feature backup and restore', () => {
  it('writes a checksummed backup whose manifest comes last, and lists it', async () => {
    const before = proxy.requests.length;
    const m = await createBackup(flaky);
    expect(m).toMatchObject({ students: 8, templates: 24, photos: 24, key: dataKey(m.backup_id) });
    expect(m.key).toMatch(/^backups\/\d{8}T\d{9}Z-[0-9a-f]{8}\.json\.gz$/);
    const puts = proxy.requests.slice(before).filter((r) => r.startsWith('PUT'));
    expect(puts.map((r) => (r.includes('.manifest.json') ? 'manifest' : 'data'))).toEqual(['data', 'manifest']);
    expect(await listBackups(storage)).toEqual([
      { backup_id: m.backup_id, key: m.key, students: 8, templates: 24, bytes: m.bytes },
    ]);
  });

  it('a failure before the manifest leaves no complete backup; prune sweeps the orphaned data', async () => {
    const listed = await listBackups(storage);
    proxy.fail(10, 500, (req) => req.method === 'PUT' && (req.url ?? '').includes('.manifest.json'));
    proxy.fail(10, 500, (req) => req.method === 'DELETE'); // the clean-up fails too, as in a crash
    await expect(createBackup(flaky)).rejects.toThrow(StorageUnavailableError);
    expect(await listBackups(storage)).toEqual(listed);
    const orphans = (await storage.list('backups/')).filter(
      (k) => backupIdOf(k)?.kind === 'data' && !listed.some((b) => b.key === k),
    );
    expect(orphans).toHaveLength(1);
    proxy.fail(0, 500); // rules are used up only by matching requests; clear the DELETE one
    const pruned = await pruneBackups(storage, 14, { orphanGraceMs: 0 });
    expect(pruned.orphans).toHaveLength(1);
    expect(await storage.exists(orphans[0]!)).toBe(false);
  });

  it('a storage server that is down gives a clear error and no backup', async () => {
    const down = new S3Storage({
      bucket: s3.bucket,
      endpoint: 'http://127.0.0.1:9',
      forcePathStyle: true,
      credentials: s3.credentials,
      baseDelayMs: 5,
      retries: 1,
    });
    await expect(createBackup(down)).rejects.toThrow(
      /cannot reach s3:\/\/backups\/ at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/,
    );
    expect(await listBackups(storage)).toHaveLength(1);
  });

  it('restores into an empty database byte for byte, and recognition gives identical results', async () => {
    await closeDb();
    process.env.DATABASE_URL = target;
    resetEnvCache();
    await runMigrations(target);
    const r = await restoreBackup(storage);
    expect(r).toMatchObject({ students: 8, templates: 24, photos: 24, courses: 1 });
    const restored = await readTemplates();
    expect(restored).toHaveLength(sourceTemplates.length);
    restored.forEach((row, i) => {
      const orig = sourceTemplates[i]!;
      expect({ ...row, embedding: null }).toEqual({ ...orig, embedding: null });
      expect(row.embedding.equals(orig.embedding)).toBe(true);
    });
    const [a, b] = [matcherOf(sourceTemplates), matcherOf(restored)];
    const probes = [
      ...base.map((v, i) => vector(9000 + i, v, 0.7)),
      ...Array.from({ length: 5 }, (_, i) => vector(5000 + i)),
    ];
    const results: Identification[][] = await Promise.all(
      probes.map((p) => {
        const probe = { model: 'test-embedder', version: '1', data: float32ToBuffer(p) };
        return Promise.all([a.identify(probe), b.identify(probe)]);
      }),
    );
    for (const [x, y] of results) expect(y).toEqual(x);
    expect(results.filter(([x]) => x!.status === 'match').length).toBeGreaterThanOrEqual(8);
    await expect(restoreBackup(storage)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(restoreBackup(storage, '20000101T000000000Z-00000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('with BACKUP_KEY the stored file is encrypted (no readable content), and reads back only with the key', async () => {
    process.env.BACKUP_KEY = 'backup-key-for-the-integration-test';
    resetEnvCache();
    try {
      const m = await createBackup(storage);
      const stored = (await storage.get(m.key))!;
      expect(isEncryptedBackup(stored)).toBe(true);
      expect(stored.includes(Buffer.from('face-attendance-backup'))).toBe(false);
      expect(decodeBackup(stored, m, { secret: process.env.BACKUP_KEY }).face_templates).toHaveLength(m.templates);
      expect(() => decodeBackup(stored, m)).toThrow(/is encrypted: set BACKUP_KEY/);
    } finally {
      delete process.env.BACKUP_KEY;
      resetEnvCache();
    }
  });

  it('keeps BACKUP_KEEP backups; an erasure makes a fresh backup at once and old copies age out', async () => {
    for (let i = 0; i < 3; i++) await rotateBackups(storage, 2);
    expect(await listBackups(storage)).toHaveLength(2);
    process.env.BACKUP_INTERVAL_HOURS = '24';
    process.env.BACKUP_KEEP = '2';
    resetEnvCache();
    try {
      const newestBefore = (await listBackups(storage))[0]!.backup_id;
      await deleteStudentBiometrics(erased.studentId, null, { storage });
      const after = await listBackupManifests(storage);
      expect(after).toHaveLength(2);
      expect(after[0]!.backup_id > newestBefore).toBe(true);
      expect(after[0]!.templates).toBe(24 - erased.templateIds.length);
      await rotateBackups(storage, 2);
      for (const m of await listBackupManifests(storage)) {
        const text = (await import('node:zlib')).gunzipSync((await storage.get(m.key))!).toString();
        for (const id of erased.templateIds) expect(text).not.toContain(id);
      }
    } finally {
      delete process.env.BACKUP_INTERVAL_HOURS;
      delete process.env.BACKUP_KEEP;
      resetEnvCache();
    }
  });

  it('CLI: backup create|list --json print the documented shapes (local DATA_DIR storage)', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(
          path.join(REPO, 'node_modules/.bin/tsx'),
          ['--conditions=react-server', 'scripts/attendance.ts', ...args],
          {
            cwd: REPO,
            env: { ...process.env, DATABASE_URL: target, DATA_DIR: dataDir, BACKUP_KEEP: '3' },
          },
        );
        let stdout = '',
          stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const created = await run(['backup', 'create', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const c = JSON.parse(created.stdout);
    expect(Object.keys(c).sort()).toEqual(['backup_id', 'bytes', 'key', 'students', 'templates']);
    expect(c).toMatchObject({ students: 8, templates: 24 - erased.templateIds.length });
    const listed = await run(['backup', 'list', '--json']);
    expect(JSON.parse(listed.stdout)).toEqual([c]);
    const restore = await run(['backup', 'restore', '--json']);
    expect(restore.code).toBe(1);
    expect(JSON.parse(restore.stdout).error.code).toBe('CONFLICT');
  }, 60_000);

  it('with BACKUP_KEY set, a plain (forged) or tampered backup is refused with a clear message, non-zero exit, and an untouched database', async () => {
    const KEY = 'backup-key-for-the-integration-test';
    const empty = throwawayUrl();
    await runMigrations(empty);
    const useDb = async (url: string) => {
      await closeDb();
      process.env.DATABASE_URL = url;
      resetEnvCache();
    };
    const forged = new S3Storage({
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      forcePathStyle: true,
      credentials: s3.credentials,
      prefix: 'forged',
      retries: 1,
    });
    try {
      // Someone who can write to the backup store, but has no key, writes a plain backup and a manifest
      // whose size and sha256 match it (made here from the restored database, as a forger would from any data).
      await useDb(target);
      const plain = await createBackup(forged);
      await useDb(empty);
      process.env.BACKUP_KEY = KEY;
      resetEnvCache();
      await expect(restoreBackup(forged)).rejects.toMatchObject({
        code: 'VALIDATION',
        message: expect.stringMatching(
          new RegExp(
            `^backup ${plain.backup_id} is not encrypted, but BACKUP_KEY is set: refused, nothing was restored`,
          ),
        ),
      });
      expect(await countFaceDataRows()).toEqual({ students: 0, courses: 0, templates: 0 });

      // An encrypted backup with one byte changed and its manifest rewritten to match: GCM's tag refuses it.
      await useDb(target);
      const sealed = await createBackup(forged);
      await useDb(empty);
      const bytes = Buffer.from((await forged.get(sealed.key))!);
      bytes[bytes.length - 10]! ^= 1;
      await forged.put(sealed.key, bytes, 'application/octet-stream');
      const manifest = JSON.parse((await forged.get(manifestKey(sealed.backup_id)))!.toString());
      await forged.put(
        manifestKey(sealed.backup_id),
        Buffer.from(JSON.stringify({ ...manifest, sha256: sha256Hex(bytes), bytes: bytes.byteLength })),
        'application/json',
      );
      await expect(restoreBackup(forged, sealed.backup_id)).rejects.toMatchObject({
        code: 'VALIDATION',
        message: expect.stringMatching(
          /cannot be decrypted with this BACKUP_KEY \(wrong key, or the file was changed\)/,
        ),
      });
      expect(await countFaceDataRows()).toEqual({ students: 0, courses: 0, templates: 0 });

      // The CLI: DATA_DIR holds the plain backup the previous test made without a key.
      const restore = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(
          path.join(REPO, 'node_modules/.bin/tsx'),
          ['--conditions=react-server', 'scripts/attendance.ts', 'backup', 'restore', '--json'],
          { cwd: REPO, env: { ...process.env, DATABASE_URL: empty, DATA_DIR: dataDir, BACKUP_KEY: KEY } },
        );
        let stdout = '',
          stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
      expect(restore.code, restore.stderr).toBe(1);
      expect(JSON.parse(restore.stdout).error).toMatchObject({
        code: 'VALIDATION',
        message: expect.stringMatching(/is not encrypted, but BACKUP_KEY is set: refused, nothing was restored/),
      });
      expect(await countFaceDataRows()).toEqual({ students: 0, courses: 0, templates: 0 });
    } finally {
      delete process.env.BACKUP_KEY;
      await useDb(target);
      await dropDatabase(empty).catch(() => undefined);
    }
  }, 60_000);
});
