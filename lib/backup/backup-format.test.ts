import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '@/lib/sha256';
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  BackupIntegrityError,
  backupIdOf,
  backupTime,
  decodeBackup,
  encodeBackup,
  isEncryptedBackup,
  newBackupId,
  type BackupManifest,
  type BackupPayload,
} from './backup-format';

const embedding = Buffer.from(new Float32Array([0.1, 0.2, 0.3]).buffer);
const payload: BackupPayload = {
  format: BACKUP_FORMAT,
  version: BACKUP_VERSION,
  backup_id: 'x',
  created_at: '2025-03-01T09:00:00.000Z',
  students: [],
  courses: [],
  course_enrollments: [],
  face_photos: [],
  face_templates: [
    {
      template_id: 't1',
      student_id: 's1',
      photo_id: null,
      model: 'm',
      model_version: '1',
      dims: 3,
      embedding_base64: embedding.toString('base64'),
      embedding_sha256: sha256Hex(embedding),
      created_at: '2025-03-01T09:00:00.000Z',
    },
  ],
};
const manifestFor = (bytes: Buffer): BackupManifest => ({
  format: BACKUP_FORMAT,
  version: 1,
  backup_id: 'x',
  key: 'backups/x.json.gz',
  created_at: payload.created_at,
  students: 0,
  templates: 1,
  photos: 0,
  bytes: bytes.byteLength,
  sha256: sha256Hex(bytes),
});

describe('backup format', () => {
  it('round-trips and keeps embedding bytes exactly', () => {
    const bytes = encodeBackup(payload);
    const back = decodeBackup(bytes, manifestFor(bytes));
    expect(Buffer.from(back.face_templates[0]!.embedding_base64, 'base64').equals(embedding)).toBe(true);
  });

  it('refuses a backup that unpacks to more than the limit (gzip bomb) with a clear error', () => {
    const bomb = gzipSync(Buffer.alloc(5 * 1024 * 1024, 0x20));
    expect(bomb.byteLength).toBeLessThan(10_000);
    expect(() => decodeBackup(bomb, manifestFor(bomb), { maxUnpackedBytes: 1024 * 1024 })).toThrow(
      /unpacks to more than 1048576 bytes; refused/,
    );
  });

  it('encrypts at rest with BACKUP_KEY: round-trips with the key, refuses a missing or wrong key', () => {
    const key = 'backup-key-for-tests-0123456789';
    const sealed = encodeBackup(payload, key);
    expect(isEncryptedBackup(sealed)).toBe(true);
    expect(sealed.includes(Buffer.from('face-attendance-backup'))).toBe(false);
    expect(decodeBackup(sealed, manifestFor(sealed), { secret: key }).face_templates[0]!.embedding_sha256).toBe(
      sha256Hex(embedding),
    );
    expect(() => decodeBackup(sealed, manifestFor(sealed))).toThrow(/is encrypted: set BACKUP_KEY/);
    expect(() => decodeBackup(sealed, manifestFor(sealed), { secret: 'another-key-of-enough-length' })).toThrow(
      /cannot be decrypted with this BACKUP_KEY/,
    );
  });

  it('with BACKUP_KEY set, refuses a plain backup (old, or forged by someone who can write the store but has no key)', () => {
    const key = 'backup-key-for-tests-0123456789';
    const plain = encodeBackup(payload);
    expect(isEncryptedBackup(plain)).toBe(false);
    // The forger writes a manifest whose size and sha256 match the file: the manifest alone proves nothing.
    expect(() => decodeBackup(plain, manifestFor(plain), { secret: key })).toThrow(
      /backup x is not encrypted, but BACKUP_KEY is set: refused, nothing was restored/,
    );
    // The operator who trusts an old plain backup restores it without the key.
    expect(decodeBackup(plain, manifestFor(plain)).backup_id).toBe('x');
  });

  it("refuses a genuine encrypted file served under another backup's manifest", () => {
    const key = 'backup-key-for-tests-0123456789';
    const older = encodeBackup({ ...payload, backup_id: 'older' }, key);
    expect(() => decodeBackup(older, manifestFor(older), { secret: key })).toThrow(
      /backup x: the file holds backup older \(moved from another backup\); refused/,
    );
  });

  it('rejects a file that does not match its manifest', () => {
    const bytes = encodeBackup(payload);
    const m = manifestFor(bytes);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 5]! ^= 1;
    expect(() => decodeBackup(flipped, m)).toThrow(BackupIntegrityError);
  });

  it('rejects a template whose bytes fail their own checksum', () => {
    const bad = { ...payload, face_templates: [{ ...payload.face_templates[0]!, embedding_sha256: '0'.repeat(64) }] };
    const bytes = encodeBackup(bad);
    expect(() => decodeBackup(bytes, manifestFor(bytes))).toThrow(/fails its checksum/);
  });

  it('ids sort by time and parse back', () => {
    const a = newBackupId(new Date('2025-03-01T09:00:00.001Z'));
    const b = newBackupId(new Date('2025-03-01T09:00:00.002Z'));
    expect(a < b).toBe(true);
    expect(backupTime(a).toISOString()).toBe('2025-03-01T09:00:00.001Z');
    expect(backupIdOf(`backups/${a}.json.gz`)).toEqual({ id: a, kind: 'data' });
    expect(backupIdOf(`backups/${a}.manifest.json`)).toEqual({ id: a, kind: 'manifest' });
    expect(backupIdOf('backups/notes.txt')).toBeNull();
  });
});
