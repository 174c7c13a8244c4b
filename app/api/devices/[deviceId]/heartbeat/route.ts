import { pathParams, route } from '@/lib/auth/route';
import { ingestHeartbeat } from '@/lib/devices/device-heartbeat';
import { heartbeatDeps } from '@/lib/devices/push-deps';
import { ok } from '@/lib/dashboard/responses';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route(
  {
    public: true,
    summary: 'ESP32-CAM heartbeat (RSSI, free heap, uptime…), with the same device token as frames',
    params: pathParams('deviceId'),
    response: { json: ok },
  },
  ({ req, params }) => ingestHeartbeat(req, params.deviceId, heartbeatDeps()),
);
