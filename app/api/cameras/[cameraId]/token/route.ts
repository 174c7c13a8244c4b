import { route } from '@/lib/auth/route';
import { rotateCameraToken } from '@/lib/devices/camera-tokens';

export const dynamic = 'force-dynamic';

/** A new push token (shown once); the old one stops working. */
export const POST = route({ roles: ['admin'] }, async ({ params, user }) => Response.json({ token: await rotateCameraToken(String(params.cameraId), user!.id) }));
