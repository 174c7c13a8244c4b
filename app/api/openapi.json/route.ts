import { openApiDocument } from '@/lib/dashboard/openapi';

export const dynamic = 'force-static';

/** The API description (public: it holds no data). */
export function GET(): Response {
  return Response.json(openApiDocument());
}
