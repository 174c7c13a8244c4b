/**
 * Where a camera's recognitions end: the attendance row. A recognition is taken only while this
 * worker holds the camera's lease, journaled (attendance-journal.ts), buffered by the writer
 * (attendance-writer.ts) until the database answers, and written with the lease it was made under
 * (a worker that lost the camera cannot write for it). Each written row is logged, counted per
 * camera and announced on `pipelineEvents`.
 */
import type { RecordAttendanceInput } from '@/lib/attendance/record-decision';
import type { LeaseFence } from '@/lib/data/camera-leases';
import type { RecordAttendanceResult } from '@/lib/data/attendances';
import { AppError } from '@/lib/errors';
import type { Logger } from '@/lib/log';
import { attendanceWritesDroppedTotal } from '@/lib/metrics';
import type { AttendanceJournal } from './attendance-journal';
import { AttendanceWriter, type PendingRecognition, type WrittenRecognition } from './attendance-writer';
import type { FenceState } from './lease-manager';
import { pipelineEvents } from './pipeline-stats';

export interface AttendanceSinkDeps {
  record: (input: RecordAttendanceInput, fence?: LeaseFence) => Promise<RecordAttendanceResult>;
  isEnrolled: (courseId: string, studentId: string) => Promise<boolean>;
  /** The data layer's verdict on a failed write: permanent ones are refused, the others retried. */
  isPermanent: (err: unknown) => boolean;
  /** The camera leases (lease-manager.ts). */
  leases: { holds(cameraId: string): boolean; fence(cameraId: string): FenceState };
  journal: Pick<AttendanceJournal, 'add' | 'done' | 'pending' | 'file'>;
  log: Logger;
}

/** The lease a write for the camera carries; throws when the camera is not (or not provably) ours. */
export function fenceOrThrow(state: FenceState, cameraId: string): LeaseFence {
  if (state === 'lost')
    throw new AppError('CONFLICT', `camera ${cameraId} is not leased to this worker; the write was refused`, {
      details: { reason: 'lease-lost' },
    });
  // Not an AppError: the writer keeps the item and retries once the lease is renewed (or known lost).
  if (state === 'unknown') throw new Error(`lease of camera ${cameraId} could not be renewed yet; write waits`);
  return state;
}

export class AttendanceSink {
  private readonly writer: AttendanceWriter;
  /** Rows written per camera by this worker (created, not "already recorded"). */
  private readonly recorded = new Map<string, number>();
  /** Camera names for the logs, as the cameras' pipelines named them. */
  private readonly names = new Map<string, string>();

  constructor(private readonly deps: AttendanceSinkDeps) {
    const { log, leases, journal } = deps;
    this.writer = new AttendanceWriter({
      record: (input) =>
        deps.record(input, input.cameraId ? fenceOrThrow(leases.fence(input.cameraId), input.cameraId) : undefined),
      isEnrolled: deps.isEnrolled,
      isPermanent: deps.isPermanent,
      journal,
      onWritten: (written) => this.written(written),
      onDropped: (item) => {
        attendanceWritesDroppedTotal.inc();
        log.error(
          { studentId: item.input.studentId, sessionId: item.input.sessionId, seenAt: item.input.seenAt },
          'attendance write buffer full; oldest recognition dropped',
        );
      },
      onRejected: (item, reason) =>
        log.warn(
          { studentId: item.input.studentId, sessionId: item.input.sessionId, reason },
          'attendance not recorded',
        ),
      onError: (err, buffered) =>
        log.warn(
          { err: err instanceof Error ? err.message : String(err), buffered },
          'database unavailable; recognitions buffered',
        ),
    });
  }

  /** What one camera's pipeline submits to (its name labels the logs). */
  forCamera(camera: { cameraId: string; name: string }): { submit(item: PendingRecognition): void } {
    return {
      submit: (item) => {
        this.names.set(camera.cameraId, camera.name);
        this.submit(item);
      },
    };
  }

  /** Takes a recognition, unless its camera's lease is gone (frames in flight when it was lost): then it goes nowhere. */
  submit(item: PendingRecognition): void {
    const cameraId = item.input.cameraId;
    if (cameraId && !this.deps.leases.holds(cameraId)) {
      this.deps.log.warn(
        { camera: this.names.get(cameraId) ?? cameraId, studentId: item.input.studentId },
        'recognition dropped: camera lease no longer held',
      );
      return;
    }
    this.writer.submit(item);
  }

  /** Queues again what the journal holds from before the last stop (once the leases are known). */
  replay(): void {
    const replayed = this.deps.journal.pending();
    if (replayed.length === 0) return;
    this.deps.log.info(
      { recognitions: replayed.length, journal: this.deps.journal.file },
      'replaying recognitions not written before the last stop',
    );
    this.writer.restore(replayed);
  }

  /** Lets the camera's buffered writes land (at most `timeoutMs`) while its lease is still ours. */
  async drainCamera(cameraId: string, timeoutMs = 3_000): Promise<void> {
    await this.writer.drainWhere((item) => item.input.cameraId === cameraId, timeoutMs);
  }

  recordedBy(cameraId: string): number {
    return this.recorded.get(cameraId) ?? 0;
  }

  stats(): ReturnType<AttendanceWriter['stats']> {
    return this.writer.stats();
  }

  /** Writes what it can within `timeoutMs`; what is left stays in the journal for the next start. */
  async close(timeoutMs = 5_000): Promise<void> {
    const lost = await this.writer.close(timeoutMs);
    if (lost.length > 0)
      this.deps.log.warn(
        { pending: lost.length, journal: this.deps.journal.file },
        'recognitions not written before shutdown; kept in the journal for the next start',
      );
  }

  private written({ result, input, frameArrivedAt, votes }: WrittenRecognition): void {
    const cameraId = input.cameraId ?? null;
    if (cameraId && result.created) this.recorded.set(cameraId, this.recordedBy(cameraId) + 1);
    const a = result.attendance;
    this.deps.log.info(
      {
        studentId: a.studentId,
        sessionId: a.sessionId,
        camera: cameraId ? (this.names.get(cameraId) ?? cameraId) : null,
        score: input.confidence,
        votes,
        status: a.status,
        created: result.created,
        liveness: input.livenessScore ?? null,
        livenessDoubtful: input.livenessDoubtful ?? false,
      },
      result.created ? 'attendance recorded' : 'attendance already recorded for this session',
    );
    pipelineEvents.emit('attendance', {
      sessionId: a.sessionId,
      studentId: a.studentId,
      cameraId: a.cameraId,
      status: a.status,
      confidence: a.confidence,
      created: result.created,
      at: a.timestamp.toISOString(),
      latencyMs: frameArrivedAt ? Date.now() - frameArrivedAt : null,
    });
  }
}
