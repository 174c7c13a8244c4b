/**
 * `POST /api/devices/:deviceId/heartbeat`: the firmware's periodic JSON status, e.g.
 * `{"rssi":-61,"free_heap":123456,"uptime_s":3600,"frames_sent":42,"failures":0,"reset_reason":"poweron"}`.
 * Stored in `cameras.heartbeat` with `last_heartbeat_at`; it also counts as the camera being seen.
 */
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { createLogger } from '@/lib/log';
import {
  assertContentType,
  authenticateDevice,
  deviceErrorResponse,
  readBodyWithLimit,
  type DeviceAuthDeps,
} from './ingest-frame';

const HEARTBEAT_MAX_BYTES = 8_192;

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** Known fields only (unknown ones are dropped), every one optional: older firmware sends fewer. */
export const heartbeatSchema = z.object({
  rssi: z.number().int().min(-200).max(50).optional(),
  free_heap: count.optional(),
  uptime_s: count.optional(),
  frames_sent: count.optional(),
  failures: count.optional(),
  reset_reason: z.string().max(64).optional(),
  brownout: z.boolean().optional(),
  firmware: z.string().max(64).optional(),
});

export type Heartbeat = z.infer<typeof heartbeatSchema>;

export interface HeartbeatDeps extends DeviceAuthDeps {
  record(cameraId: string, heartbeat: Heartbeat): Promise<void>;
}

export async function ingestHeartbeat(req: Request, deviceId: string, deps: HeartbeatDeps): Promise<Response> {
  try {
    const camera = await authenticateDevice(req, deviceId, deps);
    assertContentType(req, 'application/json');
    const raw = Buffer.from(await readBodyWithLimit(req, HEARTBEAT_MAX_BYTES)).toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new AppError('VALIDATION', 'Heartbeat body must be JSON');
    }
    const parsed = heartbeatSchema.safeParse(json);
    if (!parsed.success)
      throw new AppError('VALIDATION', 'Invalid heartbeat', { details: { issues: parsed.error.issues } });
    await deps.record(camera.cameraId, parsed.data);
    return Response.json({ ok: true });
  } catch (err) {
    if (!(err instanceof AppError)) createLogger('push').error({ err, deviceId }, 'heartbeat failed');
    return deviceErrorResponse(err);
  }
}
