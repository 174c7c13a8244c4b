/** `backup create|list|restore`: JSON shapes are the contract (see README, Backups). */
import { backupSummary, listBackups, restoreBackup, rotateBackups } from '@/lib/backup/backups';
import { env } from '@/lib/env';
import { getStorage } from '@/lib/storage';
import type { ParsedCommand } from './args';

type Result = { json: unknown; text: string };
type Options = ParsedCommand['options'];

const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;

export async function backupCreate(): Promise<Result> {
  const { manifest, pruned } = await rotateBackups(getStorage(), env().BACKUP_KEEP);
  const json = backupSummary(manifest);
  const text =
    `Backup ${json.backup_id}: ${json.students} student(s), ${json.templates} template(s), ${size(json.bytes)} at ${json.key}` +
    (pruned.deleted.length
      ? `\nPruned ${pruned.deleted.length} old backup(s) (BACKUP_KEEP=${env().BACKUP_KEEP}).`
      : '');
  return { json, text };
}

export async function backupList(): Promise<Result> {
  const json = await listBackups(getStorage());
  const text = json.length
    ? json
        .map(
          (b) =>
            `${b.backup_id}  ${String(b.students).padStart(5)} students  ${String(b.templates).padStart(6)} templates  ${size(b.bytes).padStart(10)}  ${b.key}`,
        )
        .join('\n')
    : 'No backups yet (create one with: backup create).';
  return { json, text };
}

export async function backupRestore(o: Options): Promise<Result> {
  const r = await restoreBackup(getStorage(), typeof o.id === 'string' ? o.id : undefined);
  return {
    json: r,
    text: `Restored backup ${r.backup_id}: ${r.students} student(s), ${r.courses} course(s), ${r.photos} photo record(s), ${r.templates} template(s).`,
  };
}
