import { z } from 'zod';
import { pathParams, route } from '@/lib/auth/route';
import { ingestFrame } from '@/lib/devices/ingest-frame';
import { pushIngestDeps } from '@/lib/devices/push-deps';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route(
  {
    public: true,
    summary: 'ESP32-CAM push: one JPEG per POST (`Authorization: Bearer <device token>`)',
    params: pathParams('deviceId'),
    response: { status: 202, json: z.object({ accepted: z.literal(true), bytes: z.number().int() }) },
  },
  ({ req, params }) => ingestFrame(req, params.deviceId, pushIngestDeps()),
);
