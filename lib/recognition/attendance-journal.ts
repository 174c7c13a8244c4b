/**
 * The attendance writer's buffer on disk: every recognition waiting for the database is appended to
 * `<DATA_DIR>/journal/attendance.jsonl` before it is queued, and marked done once written (or
 * refused for good). A worker killed while MySQL is away loses nothing: at the next start the
 * pending entries are replayed, and the idempotent upsert makes a replay of an entry whose row did
 * land harmless. Appends are synchronous and small (one line per decided track); the file is
 * compacted to the pending entries at every start.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PendingRecognition } from './attendance-writer';

type Line = { op: 'add'; id: string; item: PendingRecognition } | { op: 'done'; id: string };

export class AttendanceJournal {
  readonly file: string;
  private readonly ids = new WeakMap<PendingRecognition, string>();

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'journal', 'attendance.jsonl');
    mkdirSync(path.dirname(this.file), { recursive: true });
  }

  /**
   * Entries added and never marked done (oldest first), and the file rewritten to hold only them.
   * A torn last line (a kill mid-append) is skipped.
   */
  pending(): PendingRecognition[] {
    if (!existsSync(this.file)) return [];
    const open = new Map<string, PendingRecognition>();
    for (const raw of readFileSync(this.file, 'utf8').split('\n')) {
      if (!raw.trim()) continue;
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        continue;
      }
      if (line.op === 'add') open.set(line.id, revive(line.item));
      else open.delete(line.id);
    }
    const items = [...open.entries()];
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, items.map(([id, item]) => `${JSON.stringify({ op: 'add', id, item })}\n`).join(''));
    renameSync(tmp, this.file);
    for (const [id, item] of items) this.ids.set(item, id);
    return items.map(([, item]) => item);
  }

  add(item: PendingRecognition): void {
    const id = crypto.randomUUID();
    this.ids.set(item, id);
    // frameArrivedAt is a performance.now() reading: meaningless in another process.
    const { frameArrivedAt: _, ...stored } = item;
    appendFileSync(this.file, `${JSON.stringify({ op: 'add', id, item: stored })}\n`);
  }

  done(item: PendingRecognition): void {
    const id = this.ids.get(item);
    if (id) appendFileSync(this.file, `${JSON.stringify({ op: 'done', id })}\n`);
  }
}

function revive(item: PendingRecognition): PendingRecognition {
  return { ...item, input: { ...item.input, seenAt: new Date(item.input.seenAt) } };
}
