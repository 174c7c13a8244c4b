import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { RecordAttendanceInput } from '@/lib/data/attendances';
import { AttendanceJournal } from './attendance-journal';
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
      journal: new AttendanceJournal(dir),
      retryBaseMs: 50,
    });
    for (const s of ['ana', 'budi', 'citra']) first.submit(item(s));
    await new Promise((r) => setTimeout(r, 30));
    expect(first.stats().written).toBe(0);

    // Next start: the journal holds the three, with their dates; the database answers again.
    const journal = new AttendanceJournal(dir);
    const pending = journal.pending();
    expect(pending.map((p) => p.input.studentId)).toEqual(['ana', 'budi', 'citra']);
    expect(pending[0]!.input.seenAt).toEqual(new Date('2026-12-02T08:01:00Z'));
    expect(pending[0]!.frameArrivedAt).toBeUndefined();
    const written: RecordAttendanceInput[] = [];
    const second = new AttendanceWriter({
      record: async (input) => (written.push(input), { created: true, attendance: {} as never }),
      isEnrolled: async () => true,
      journal,
    });
    second.restore(pending);
    expect(await second.drain(2_000)).toBe(true);
    expect(written.map((w) => w.studentId)).toEqual(['ana', 'budi', 'citra']);
    // A third start has nothing left to replay.
    expect(new AttendanceJournal(dir).pending()).toEqual([]);
    await first.close(10);
  });

  it('skips a line torn by a kill mid-append', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'journal-'));
    const j = new AttendanceJournal(dir);
    j.add(item('ana'));
    appendFileSync(j.file, '{"op":"add","id":"x","item":{"cour');
    expect(new AttendanceJournal(dir).pending().map((p) => p.input.studentId)).toEqual(['ana']);
    expect(readFileSync(j.file, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('a full buffer drops the oldest recognition loudly, and the journal forgets it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'journal-'));
    const onDropped = vi.fn();
    const w = new AttendanceWriter({
      record: dbDown,
      isEnrolled: async () => true,
      journal: new AttendanceJournal(dir),
      maxBuffered: 2,
      onDropped,
      retryBaseMs: 50,
    });
    for (const s of ['ana', 'budi', 'citra']) w.submit(item(s));
    expect(onDropped).toHaveBeenCalledTimes(1);
    expect(onDropped.mock.calls[0]![0].input.studentId).toBe('ana');
    expect(w.stats()).toMatchObject({ droppedOverflow: 1, buffered: 2 });
    expect(new AttendanceJournal(dir).pending().map((p) => p.input.studentId)).toEqual(['budi', 'citra']);
    await w.close(10);
  });
});
