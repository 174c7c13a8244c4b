import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RecordAttendanceInput } from '@/lib/attendance/record-decision';
import type { LeaseFence } from '@/lib/data/camera-leases';
import { isPermanentWriteError, type RecordAttendanceResult } from '@/lib/data/attendances';
import { createLogger } from '@/lib/log';
import { AttendanceJournal } from './attendance-journal';
import { AttendanceSink } from './attendance-sink';
import type { PendingRecognition } from './attendance-writer';
import type { FenceState } from './lease-manager';

const item = (studentId: string, cameraId = 'cam1'): PendingRecognition => ({
  courseId: 'c1',
  input: { sessionId: 's1', studentId, seenAt: new Date(0), cameraId, source: 'camera' },
});

/** A sink over a fake database that remembers each write's lease, with leases set per test. */
function sinkWith(fences: Record<string, FenceState>) {
  const writes: Array<{ studentId: string; fence?: LeaseFence }> = [];
  const rejected: string[] = [];
  const journal = new AttendanceJournal(mkdtempSync(path.join(os.tmpdir(), 'sink-')), 'w1');
  const sink = new AttendanceSink({
    record: async (input: RecordAttendanceInput, fence?: LeaseFence): Promise<RecordAttendanceResult> => {
      writes.push({ studentId: input.studentId, fence });
      return {
        created: true,
        attendance: { ...input, status: 'present', confidence: 0.9, timestamp: new Date(0) } as never,
      };
    },
    isEnrolled: async () => true,
    isPermanent: (err) => {
      rejected.push(String(err));
      return isPermanentWriteError(err);
    },
    leases: {
      holds: (id) => typeof fences[id] === 'object',
      fence: (id) => fences[id] ?? 'lost',
    },
    journal,
    log: createLogger('test'),
  });
  return { sink, writes, rejected, journal };
}

describe('AttendanceSink', () => {
  it('writes a recognition with the lease of its camera and counts the row for that camera', async () => {
    const lease = { cameraId: 'cam1', workerId: 'w1', generation: 3 };
    const { sink, writes } = sinkWith({ cam1: lease });
    sink.forCamera({ cameraId: 'cam1', name: 'front' }).submit(item('ann'));
    await sink.close(1_000);
    expect(writes).toEqual([{ studentId: 'ann', fence: lease }]);
    expect(sink.recordedBy('cam1')).toBe(1);
    expect(sink.recordedBy('cam2')).toBe(0);
  });

  it('takes nothing for a camera whose lease is gone (frames in flight when it was lost)', async () => {
    const { sink, writes, journal } = sinkWith({ cam1: 'lost' });
    sink.submit(item('ann'));
    await sink.close(200);
    expect(writes).toEqual([]);
    expect(sink.stats()).toMatchObject({ buffered: 0, written: 0 });
    expect(journal.pending()).toEqual([]);
  });

  it('refuses a write whose lease was lost after it was taken, for good (no retry)', async () => {
    const fences: Record<string, FenceState> = { cam1: { cameraId: 'cam1', workerId: 'w1', generation: 1 } };
    const { sink, writes, rejected } = sinkWith(fences);
    sink.submit(item('ann'));
    // Taken while the lease was held; by the time it is written, another worker has the camera.
    fences.cam1 = 'lost';
    await sink.close(1_000);
    expect(writes).toEqual([]);
    expect(rejected).toEqual([expect.stringContaining('not leased to this worker')]);
    expect(sink.stats()).toMatchObject({ buffered: 0, rejected: 1, failedAttempts: 0 });
  });
});
