import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry per process, served by the worker at GET /metrics.
 * Other modules register their own counters here (e.g. frames dropped per camera).
 */
export const registry = new Registry();

let defaultsCollected = false;
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: registry });
}

export const dbRetriesTotal = new Counter({
  name: 'db_query_retries_total',
  help: 'Database operations retried after a transient error',
  labelNames: ['reason'] as const,
  registers: [registry],
});

export const trackDecisionsTotal = new Counter({
  name: 'recognition_track_decisions_total',
  help: 'Decided face tracks per camera: recognized (sent to the attendance writer), unknown, or a recognition not recorded (not-enrolled, too-early, ended, not-running, no-session)',
  labelNames: ['camera', 'outcome'] as const,
  registers: [registry],
});

export const attendanceWritesDroppedTotal = new Counter({
  name: 'attendance_writes_dropped_total',
  help: 'Recognitions dropped because the attendance write buffer was full (database away for long)',
  registers: [registry],
});
