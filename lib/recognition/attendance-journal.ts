/**
 * The attendance writer's buffer on disk: every recognition waiting for the database is appended to
 * `<DATA_DIR>/journal/<WORKER_ID>.jsonl` before it is queued, and marked done once written (or
 * refused for good). A worker killed while MySQL is away loses nothing: at the next start the
 * pending entries are replayed, and the idempotent upsert makes a replay of an entry whose row did
 * land harmless. Appends are synchronous and small (one line per decided track); the file is
 * compacted to the pending entries at every start. One file per worker: scaled workers share DATA_DIR,
 * and a replay writes only what that worker journaled (another worker's entries carry its camera
 * leases, and it replays them itself). The single `attendance.jsonl` of earlier versions is taken over
 * by the first worker that starts (an atomic rename, so by one only).
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PendingRecognition } from './attendance-writer';

type Line = { op: 'add'; id: string; item: PendingRecognition } | { op: 'done'; id: string };

export class AttendanceJournal {
  readonly file: string;
  private readonly ids = new WeakMap<PendingRecognition, string>();

  /** The journal of earlier versions, shared by every worker. */
  private readonly legacyFile: string;

  constructor(dataDir: string, workerId: string) {
    const dir = path.join(dataDir, 'journal');
    this.file = path.join(dir, `${journalName(workerId)}.jsonl`);
    this.legacyFile = path.join(dir, 'attendance.jsonl');
    mkdirSync(dir, { recursive: true });
  }

  /** The lines of the old shared journal, if this worker is the one that took it over. */
  private takeLegacy(): string {
    if (this.legacyFile === this.file || !existsSync(this.legacyFile)) return '';
    const taken = `${this.file}.legacy`;
    try {
      renameSync(this.legacyFile, taken);
    } catch {
      return ''; // another worker took it first
    }
    const text = readFileSync(taken, 'utf8');
    rmSync(taken, { force: true });
    return text.endsWith('\n') || !text ? text : `${text}\n`;
  }

  /**
   * Entries added and never marked done (oldest first), and the file rewritten to hold only them.
   * A torn last line (a kill mid-append) is skipped.
   */
  pending(): PendingRecognition[] {
    const legacy = this.takeLegacy();
    if (!legacy && !existsSync(this.file)) return [];
    const open = new Map<string, PendingRecognition>();
    const own = existsSync(this.file) ? readFileSync(this.file, 'utf8') : '';
    for (const raw of `${legacy}${own}`.split('\n')) {
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
    // frameArrivedAt times this process's latency; after a restart a latency from it would be meaningless.
    const { frameArrivedAt: _, ...stored } = item;
    appendFileSync(this.file, `${JSON.stringify({ op: 'add', id, item: stored })}\n`);
  }

  done(item: PendingRecognition): void {
    const id = this.ids.get(item);
    if (id) appendFileSync(this.file, `${JSON.stringify({ op: 'done', id })}\n`);
  }
}

/** A worker id as a file name: `host:9464` stays readable; anything that could leave the folder becomes `_`. */
export function journalName(workerId: string): string {
  return workerId.replace(/[^A-Za-z0-9._:-]/g, '_').replace(/^\.+/, '_');
}

function revive(item: PendingRecognition): PendingRecognition {
  return { ...item, input: { ...item.input, seenAt: new Date(item.input.seenAt) } };
}
