import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { openApiDocument } from '@/lib/dashboard/openapi';
import { API_ROUTES } from '../route-list';

export const dynamic = 'force-static';

/** The API description (public: it holds no data), built from every route's declaration. */
export const GET = route(
  {
    public: true,
    summary: "This API description (OpenAPI 3.1), built from the routes' own declarations",
    response: {
      json: z.object({
        openapi: z.string(),
        info: z.object({ title: z.string(), version: z.string(), description: z.string() }),
        paths: z.record(z.string(), z.unknown()),
        components: z.record(z.string(), z.unknown()),
      }),
    },
  },
  async () => Response.json(openApiDocument(API_ROUTES)),
);
