import { pathParams, route } from '@/lib/auth/route';
import { ingestHeartbeat } from '@/lib/devices/device-heartbeat';
import { heartbeatDeps } from '@/lib/devices/push-deps';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** ESP32-CAM heartbeat JSON (RSSI, free heap, uptime…), same device token as frames. */
export const POST = route({ public: true, params: pathParams('deviceId') }, ({ req, params }) =>
  ingestHeartbeat(req, params.deviceId, heartbeatDeps()),
);
