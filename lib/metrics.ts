import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

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
  help: 'Decided face tracks per camera: recognized (sent to the attendance writer), unknown, one-clear-look (held for a second clear look before a verdict), or a recognition not recorded (not-enrolled, too-early, ended, not-running, no-session)',
  labelNames: ['camera', 'outcome'] as const,
  registers: [registry],
});

export const attendanceWritesDroppedTotal = new Counter({
  name: 'attendance_writes_dropped_total',
  help: 'Recognitions dropped because the attendance write buffer was full (database away for long)',
  registers: [registry],
});

export const cameraLeaseChangesTotal = new Counter({
  name: 'camera_lease_changes_total',
  help: 'Camera leases changed by this worker: claimed, released (rebalance or shutdown), lost (taken over while this worker could not renew), expired (not renewed in time, processing stopped)',
  labelNames: ['change'] as const,
  registers: [registry],
});

export const workerCameras = new Gauge({
  name: 'worker_cameras',
  help: "Cameras each live worker holds a valid lease on, as read from camera_leases at this worker's last lease round",
  labelNames: ['worker_id'] as const,
  registers: [registry],
});
