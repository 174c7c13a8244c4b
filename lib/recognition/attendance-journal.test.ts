import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { isPermanentWriteError, type RecordAttendanceInput } from '@/lib/data/attendances';
import { AttendanceJournal, journalName } from './attendance-journal';
import { AttendanceWriter, type PendingRecognition } from './attendance-writer';

const item = (studentId: string): PendingRecognition => ({
  courseId: 'c1',
  votes: 2,
  frameArrivedAt: 123.4,
  input: {
    sessionId: 's1',
    studentId,
    seenAt: new Date('2026-12-02T08:01:00Z'),
    status: 'present',
    confidence: 0.8,
    cameraId: 'cam',
    source: 'camera',
  },
});
const dbDown = () =>
  Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' }));

describe('AttendanceJournal', () => {
  it('keeps recognitions a killed worker could not write, and replays each once at the next start', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'journal-'));
    // First worker: the database is down; it is then killed (never closed).
    const first = new AttendanceWriter({
      record: dbDown,
      isEnrolled: async () => true,
      isPermanent: isPermanentWriteError,
      journal: new AttendanceJournal(dir, 'w1'),
      retryBaseMs: 50,
    });
    for (const s of ['ana', 'budi', 'citra']) first.submit(item(s));
    await new Promise((r) => setTimeout(r, 30));
    expect(first.stats().written).toBe(0);

    // Next start: the journal holds the three, with their dates; the database answers again.
    const journal = new AttendanceJournal(dir, 'w1');
    const pending = journal.pending();
    expect(pending.map((p) => p.input.studentId)).toEqual(['ana', 'budi', 'citra']);
    expect(pending[0]!.input.seenAt).toEqual(new Date('2026-12-02T08:01:00Z'));
    expect(pending[0]!.frameArrivedAt).toBeUndefined();
    const written: RecordAttendanceInput[] = [];
    const second = new AttendanceWriter({
      record: async (input) => (written.push(input), { created: true, attendance: {} as never }),
      isEnrolled: async () => true,
      isPermanent: isPermanentWriteError,
      journal,
    });
    second.restore(pending);
    expect(await second.drain(2_000)).toBe(true);
    expect(written.map((w) => w.studentId)).toEqual(['ana', 'budi', 'citra']);
    // A third start has nothing left to replay.
    expect(new AttendanceJournal(dir, 'w1').pending()).toEqual([]);
    await first.close(10);
  });

  it('skips a line torn by a kill mid-append', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'journal-'));
    const j = new AttendanceJournal(dir, 'w1');
    j.add(item('ana'));
    appendFileSync(j.file, '{"op":"add","id":"x","item":{"cour');
    expect(new AttendanceJournal(dir, 'w1').pending().map((p) => p.input.studentId)).toEqual(['ana']);
    expect(readFileSync(j.file, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('a full buffer drops the oldest recognition loudly, and the journal forgets it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'journal-'));
    const onDropped = vi.fn();
    const w = new AttendanceWriter({
      record: dbDown,
      isEnrolled: async () => true,
      isPermanent: isPermanentWriteError,
      journal: new AttendanceJournal(dir, 'w1'),
      maxBuffered: 2,
      onDropped,
      retryBaseMs: 50,
    });
    for (const s of ['ana', 'budi', 'citra']) w.submit(item(s));
    expect(onDropped).toHaveBeenCalledTimes(1);
    expect(onDropped.mock.calls[0]![0].input.studentId).toBe('ana');
    expect(w.stats()).toMatchObject({ droppedOverflow: 1, buffered: 2 });
    expect(new AttendanceJournal(dir, 'w1').pending().map((p) => p.input.studentId)).toEqual(['budi', 'citra']);
    await w.close(10);
  });

  it('scaled workers sharing DATA_DIR: one file per WORKER_ID, and each replays only what it journaled', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'journal-'));
    const a = new AttendanceJournal(dir, 'worker-a:9464');
    const b = new AttendanceJournal(dir, 'worker-b:9464');
    expect(a.file).toBe(path.join(dir, 'journal', 'worker-a:9464.jsonl'));
    expect(b.file).not.toBe(a.file);
    a.add(item('ana'));
    b.add(item('budi'));
    b.add(item('citra'));
    expect(new AttendanceJournal(dir, 'worker-a:9464').pending().map((p) => p.input.studentId)).toEqual(['ana']);
    expect(new AttendanceJournal(dir, 'worker-b:9464').pending().map((p) => p.input.studentId)).toEqual([
      'budi',
      'citra',
    ]);
    // A replay of A compacts A's file only: B's entries are still there for B.
    expect(new AttendanceJournal(dir, 'worker-b:9464').pending()).toHaveLength(2);
  });

  it('the old shared attendance.jsonl is taken over by one worker only, and a worker id cannot leave the folder', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'journal-'));
    mkdirSync(path.join(dir, 'journal'), { recursive: true });
    const legacy = path.join(dir, 'journal', 'attendance.jsonl');
    writeFileSync(legacy, `${JSON.stringify({ op: 'add', id: 'old-1', item: item('dewi') })}\n`);
    expect(new AttendanceJournal(dir, 'first').pending().map((p) => p.input.studentId)).toEqual(['dewi']);
    expect(existsSync(legacy)).toBe(false);
    expect(new AttendanceJournal(dir, 'second').pending()).toEqual([]);
    // Still the first worker's until written.
    expect(new AttendanceJournal(dir, 'first').pending().map((p) => p.input.studentId)).toEqual(['dewi']);
    expect(journalName('../../etc/x')).toBe('__.._etc_x');
    expect(path.dirname(new AttendanceJournal(dir, '../../escape').file)).toBe(path.join(dir, 'journal'));
  });
});
