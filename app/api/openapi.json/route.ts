import { route } from '@/lib/auth/route';
import { openApiDocument } from '@/lib/dashboard/openapi';

export const dynamic = 'force-static';

/** The API description (public: it holds no data). */
export const GET = route({ public: true }, async () => Response.json(openApiDocument()));
