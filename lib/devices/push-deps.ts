import 'server-only';
import { markCameraSeen } from '@/lib/data/cameras';
import { findCameraByIdOrName, recordCameraHeartbeat } from '@/lib/data/cameras';
import { env } from '@/lib/env';
import type { HeartbeatDeps } from './device-heartbeat';
import { createFrameRateLimiter, throttledSeen, type IngestFrameDeps } from './ingest-frame';
import { WorkerUnavailableError, forwardFrameToWorker } from './internal-frames';
import { workerTargets } from './worker-target';

let ingestDeps: IngestFrameDeps | undefined;

/** The web process's push dependencies: one rate limiter and one last-seen throttle for all requests. */
export function pushIngestDeps(): IngestFrameDeps {
  if (!ingestDeps) {
    const settings = env();
    ingestDeps = {
      findCamera: findCameraByIdOrName,
      maxBytes: settings.PUSH_MAX_BYTES,
      limiter: createFrameRateLimiter(settings.PUSH_MAX_FPS),
      forward: async (cameraId, jpeg) => {
        const targets = workerTargets();
        const workerUrl = await targets.urlFor(cameraId);
        if (!workerUrl)
          throw new WorkerUnavailableError(
            'no worker holds this camera now (it moves to another worker within LEASE_TTL_SECONDS)',
          );
        try {
          await forwardFrameToWorker({ workerUrl, internalToken: settings.INTERNAL_TOKEN }, cameraId, jpeg);
        } catch (err) {
          targets.forget(cameraId);
          throw err;
        }
      },
      markSeen: throttledSeen((id) => markCameraSeen(id, 'online')),
    };
  }
  return ingestDeps;
}

export function heartbeatDeps(): HeartbeatDeps {
  return {
    findCamera: findCameraByIdOrName,
    record: (cameraId, heartbeat) => recordCameraHeartbeat(cameraId, heartbeat),
  };
}
