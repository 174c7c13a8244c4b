import 'server-only';
import { markCameraSeen } from '@/lib/data/cameras';
import { findCameraByIdOrName, recordCameraHeartbeat } from '@/lib/data/push-cameras';
import { env } from '@/lib/env';
import type { HeartbeatDeps } from './device-heartbeat';
import { createFrameRateLimiter, throttledSeen, type IngestFrameDeps } from './ingest-frame';
import { forwardFrameToWorker } from './internal-frames';

let ingestDeps: IngestFrameDeps | undefined;

/** The web process's push dependencies: one rate limiter and one last-seen throttle for all requests. */
export function pushIngestDeps(): IngestFrameDeps {
  if (!ingestDeps) {
    const settings = env();
    ingestDeps = {
      findCamera: findCameraByIdOrName,
      maxBytes: settings.PUSH_MAX_BYTES,
      limiter: createFrameRateLimiter(settings.PUSH_MAX_FPS),
      forward: (cameraId, jpeg) => forwardFrameToWorker({ workerUrl: settings.WORKER_URL, internalToken: settings.INTERNAL_TOKEN }, cameraId, jpeg),
      markSeen: throttledSeen((id) => markCameraSeen(id, 'online')),
    };
  }
  return ingestDeps;
}

export function heartbeatDeps(): HeartbeatDeps {
  return { findCamera: findCameraByIdOrName, record: (cameraId, heartbeat) => recordCameraHeartbeat(cameraId, heartbeat) };
}
