/**
 * The face-feature backup file: versioned JSON, gzipped, every embedding base64 with its own sha256.
 * Pure (no I/O) so the format can be checked in unit tests and read by future versions.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { backupRowsShape } from '@/lib/data/types';
import { sha256Hex } from '@/lib/sha256';

export const BACKUP_FORMAT = 'face-attendance-backup';
export const BACKUP_VERSION = 1;
export const BACKUP_PREFIX = 'backups/';

const iso = z.iso.datetime();

export const backupPayloadSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  backup_id: z.string(),
  created_at: iso,
  ...backupRowsShape,
});

export type BackupPayload = z.infer<typeof backupPayloadSchema>;
export type BackupTemplateRow = BackupPayload['face_templates'][number];

/** Written after the data object: a backup without a manifest is unfinished and never listed or restored. */
export const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.number().int(),
  backup_id: z.string(),
  key: z.string(),
  created_at: iso,
  students: z.number().int(),
  templates: z.number().int(),
  photos: z.number().int(),
  bytes: z.number().int(),
  sha256: z.string().length(64),
});

export type BackupManifest = z.infer<typeof manifestSchema>;

export class BackupIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupIntegrityError';
  }
}

/** `20250301T090000123Z-1a2b3c4d` (UTC, with milliseconds): ids sort by time; the suffix keeps them unique. */
export function newBackupId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${randomBytes(4).toString('hex')}`;
}

export const dataKey = (backupId: string) => `${BACKUP_PREFIX}${backupId}.json.gz`;
export const manifestKey = (backupId: string) => `${BACKUP_PREFIX}${backupId}.manifest.json`;

/** The backup id in a data or manifest key, or null for anything else under backups/. */
export function backupIdOf(key: string): { id: string; kind: 'data' | 'manifest' } | null {
  const m = /^backups\/(\d{8}T\d{9}Z-[0-9a-f]{8})\.(json\.gz|manifest\.json)$/.exec(key);
  if (!m) return null;
  return { id: m[1] as string, kind: m[2] === 'json.gz' ? 'data' : 'manifest' };
}

/** When a backup id was made (from its timestamp). */
export function backupTime(backupId: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/.exec(backupId);
  if (!m) return new Date(0);
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`);
}

/**
 * Optional encryption at rest (BACKUP_KEY): AES-256-GCM over the gzip, as `ATTBAK1\0` + 12-byte IV +
 * 16-byte tag + ciphertext. The key is derived from BACKUP_KEY with scrypt; GCM's tag makes a wrong
 * key or a changed byte fail loudly. Files without the marker are plain gzip; with BACKUP_KEY set such
 * a file is refused at restore: every backup made with the key is encrypted, so a plain one was either
 * made before the key was set or written by someone who can write to the backup store but does not
 * hold the key (a forged backup with a matching manifest). The operator who trusts an old plain backup
 * restores it with BACKUP_KEY unset for that one run. The decrypted payload must also name the
 * manifest's backup id, so a genuine encrypted file cannot be served under another backup's manifest.
 */
const ENCRYPTED_MAGIC = Buffer.from('ATTBAK1\0');

function backupCipherKey(secret: string): Buffer {
  return scryptSync(secret, 'attendance-backup-v1', 32);
}

export function isEncryptedBackup(bytes: Buffer): boolean {
  return bytes.subarray(0, ENCRYPTED_MAGIC.length).equals(ENCRYPTED_MAGIC);
}

export function encodeBackup(payload: BackupPayload, secret?: string): Buffer {
  const gz = gzipSync(Buffer.from(JSON.stringify(payload)), { level: 9 });
  if (!secret) return gz;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', backupCipherKey(secret), iv);
  const body = Buffer.concat([cipher.update(gz), cipher.final()]);
  return Buffer.concat([ENCRYPTED_MAGIC, iv, cipher.getAuthTag(), body]);
}

function decryptBackup(bytes: Buffer, secret: string | undefined, backupId: string): Buffer {
  if (!isEncryptedBackup(bytes)) {
    if (secret)
      throw new BackupIntegrityError(
        `backup ${backupId} is not encrypted, but BACKUP_KEY is set: refused, nothing was restored. ` +
          'Every backup made with the key is encrypted, so this file was made before the key was set or was ' +
          'replaced by someone who can write to the backup storage. If you made it yourself before setting ' +
          'BACKUP_KEY and trust it, run this restore once with BACKUP_KEY unset.',
      );
    return bytes;
  }
  if (!secret)
    throw new BackupIntegrityError(`backup ${backupId} is encrypted: set BACKUP_KEY to the key it was made with`);
  const at = ENCRYPTED_MAGIC.length;
  const decipher = createDecipheriv('aes-256-gcm', backupCipherKey(secret), bytes.subarray(at, at + 12));
  decipher.setAuthTag(bytes.subarray(at + 12, at + 28));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(at + 28)), decipher.final()]);
  } catch {
    throw new BackupIntegrityError(
      `backup ${backupId}: cannot be decrypted with this BACKUP_KEY (wrong key, or the file was changed)`,
    );
  }
}

/**
 * Largest unpacked backup a restore reads: a gzip bomb (a small file that unpacks to gigabytes) is
 * refused instead of exhausting memory. 2 GiB holds ~500,000 students' templates.
 */
export const MAX_BACKUP_UNPACKED_BYTES = 2 * 1024 ** 3;

/** Checks the file against its manifest and every embedding against its own checksum. */
export function decodeBackup(
  bytes: Buffer,
  manifest: BackupManifest,
  opts: { secret?: string; maxUnpackedBytes?: number } = {},
): BackupPayload {
  const maxUnpackedBytes = opts.maxUnpackedBytes ?? MAX_BACKUP_UNPACKED_BYTES;
  if (bytes.byteLength !== manifest.bytes || sha256Hex(bytes) !== manifest.sha256) {
    throw new BackupIntegrityError(
      `backup ${manifest.backup_id}: ${manifest.key} does not match the sha256/size in its manifest (corrupted or replaced)`,
    );
  }
  const gz = decryptBackup(bytes, opts.secret, manifest.backup_id);
  let json: string;
  try {
    json = gunzipSync(gz, { maxOutputLength: maxUnpackedBytes }).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new BackupIntegrityError(
        `backup ${manifest.backup_id}: unpacks to more than ${maxUnpackedBytes} bytes; refused`,
      );
    throw new BackupIntegrityError(`backup ${manifest.backup_id}: not a readable gzip file`);
  }
  const parsed = backupPayloadSchema.safeParse(JSON.parse(json));
  if (!parsed.success) {
    throw new BackupIntegrityError(
      `backup ${manifest.backup_id}: unsupported or damaged content (${parsed.error.issues[0]?.message ?? 'invalid'})`,
    );
  }
  if (parsed.data.backup_id !== manifest.backup_id)
    throw new BackupIntegrityError(
      `backup ${manifest.backup_id}: the file holds backup ${parsed.data.backup_id} (moved from another backup); refused`,
    );
  for (const t of parsed.data.face_templates) {
    if (sha256Hex(Buffer.from(t.embedding_base64, 'base64')) !== t.embedding_sha256) {
      throw new BackupIntegrityError(`backup ${manifest.backup_id}: template ${t.template_id} fails its checksum`);
    }
  }
  return parsed.data;
}
