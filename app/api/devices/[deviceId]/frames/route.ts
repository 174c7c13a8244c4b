import { pathParams, route } from '@/lib/auth/route';
import { ingestFrame } from '@/lib/devices/ingest-frame';
import { pushIngestDeps } from '@/lib/devices/push-deps';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** ESP32-CAM push: one JPEG per POST, `Authorization: Bearer <device token>` (checked in lib/devices). */
export const POST = route({ public: true, params: pathParams('deviceId') }, ({ req, params }) =>
  ingestFrame(req, params.deviceId, pushIngestDeps()),
);
