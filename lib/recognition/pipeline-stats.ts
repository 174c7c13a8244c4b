/**
 * Per-camera figures for GET /healthz (JSON) and GET /metrics (Prometheus). Counters are read from
 * the live objects at scrape time, so there is one source of truth and nothing to keep in sync.
 */
import { EventEmitter } from 'node:events';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { CameraHubStats } from '@/lib/camera/camera-hub';
import { redactCredentials } from '@/lib/camera/redact';
import type { AttendanceWriterStats } from './attendance-writer';
import type { CameraProcessingStats } from './frame-pipeline';
import type { CameraLoadSample } from './worker-load';

export interface CameraStats {
  cameraId: string;
  name: string;
  mode: 'pull' | 'push';
  state: string;
  framesIn: number;
  processed: number;
  /** Frames the change gate let pass unanalysed: nothing changed and every face was recognised. */
  gated: number;
  dropped: number;
  faces: number;
  /** Faces embedded (new and undecided faces, and the later looks at unknown ones). */
  embedded: number;
  recognized: number;
  unknown: number;
  recorded: number;
  reconnects: number;
  analyzeErrors: number;
  lastError: string | null;
  lastFrameAt: string | null;
}

export function cameraStats(
  meta: { cameraId: string; name: string; mode: 'pull' | 'push' },
  hub: CameraHubStats | undefined,
  p: CameraProcessingStats,
  recorded: number,
): CameraStats {
  return {
    ...meta,
    state: hub?.state ?? 'stopped',
    framesIn: hub?.framesIn ?? 0,
    processed: p.processed,
    gated: p.gated,
    dropped: hub?.dropped ?? 0,
    faces: p.faces,
    embedded: p.embedded,
    recognized: p.recognized,
    unknown: p.unknown,
    recorded,
    reconnects: hub?.reconnects ?? 0,
    analyzeErrors: p.analyzeErrors,
    lastError: redactOrNull(p.lastError ?? hub?.lastError ?? null),
    lastFrameAt: hub?.lastFrameAt ? new Date(hub.lastFrameAt).toISOString() : null,
  };
}

/** A camera's counters for the worker's load measure (worker-load.ts); `now` in ms since epoch, like frames' receivedAt. */
export function cameraLoadSample(
  cameraId: string,
  hub: CameraHubStats | undefined,
  p: CameraProcessingStats,
  now = Date.now(),
): CameraLoadSample {
  const oldest = hub?.oldestQueuedAt ?? null;
  return {
    cameraId,
    arrived: hub?.framesIn ?? 0,
    // A frame the gate passed over was not needed: it counts as handled, or an idle camera would look saturated.
    analysed: p.processed + p.analyzeErrors + p.gated,
    oldestQueuedMs: oldest === null ? null : Math.max(0, now - oldest),
  };
}

const redactOrNull = (s: string | null) => (s === null ? null : redactCredentials(s));

const COUNTERS = [
  'framesIn',
  'processed',
  'gated',
  'dropped',
  'faces',
  'embedded',
  'recognized',
  'unknown',
  'recorded',
  'reconnects',
  'analyzeErrors',
] as const;
const METRIC_NAMES: Record<(typeof COUNTERS)[number], string> = {
  framesIn: 'camera_frames_in_total',
  processed: 'camera_frames_processed_total',
  gated: 'camera_frames_gated_total',
  dropped: 'camera_frames_dropped_total',
  faces: 'camera_faces_detected_total',
  embedded: 'camera_faces_embedded_total',
  recognized: 'camera_tracks_recognized_total',
  unknown: 'camera_tracks_unknown_total',
  recorded: 'camera_attendance_recorded_total',
  reconnects: 'camera_reconnects_total',
  analyzeErrors: 'camera_analyze_errors_total',
};

let registered = false;

/** Registers the per-camera metrics once per process; `read` is called at every scrape. */
export function registerPipelineMetrics(
  registry: Registry,
  read: () => { cameras: CameraStats[]; writer: AttendanceWriterStats },
): void {
  if (registered) return;
  registered = true;
  for (const key of COUNTERS) {
    new Counter({
      name: METRIC_NAMES[key],
      help: `Per camera: ${key}`,
      labelNames: ['camera'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const c of read().cameras) this.inc({ camera: c.name }, c[key]);
      },
    });
  }
  new Gauge({
    name: 'camera_last_frame_timestamp_seconds',
    help: 'Unix time of the last frame from each camera',
    labelNames: ['camera'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const c of read().cameras) if (c.lastFrameAt) this.set({ camera: c.name }, Date.parse(c.lastFrameAt) / 1000);
    },
  });
  new Gauge({
    name: 'camera_streaming',
    help: '1 while the camera connection is streaming',
    labelNames: ['camera'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const c of read().cameras) this.set({ camera: c.name }, c.state === 'streaming' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'attendance_writes_buffered',
    help: 'Recognitions waiting for the database',
    registers: [registry],
    collect() {
      this.set(read().writer.buffered);
    },
  });
}

export interface AttendanceEvent {
  sessionId: string;
  studentId: string;
  cameraId: string | null;
  status: string;
  confidence: number | null;
  created: boolean;
  at: string;
  /** From the arrival of the frame that decided the track to the row being written. */
  latencyMs: number | null;
}

/** In-process events (the benchmarks listen, bench/pipeline.ts and bench/hall.ts); the database stays the source of truth. */
export const pipelineEvents = new EventEmitter<{
  attendance: [AttendanceEvent];
  unknown: [
    { cameraId: string; sessionId: string; unknownId: string; kind: 'unknown' | 'suspected_spoof'; at: string },
  ];
}>();
