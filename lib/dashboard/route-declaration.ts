import type { z } from 'zod';
import type { SessionRole } from '@/db/schema';

/** What a successful call answers: a JSON body with its schema, another content type, or nothing (204). */
export interface RouteResponse {
  /** 200 unless said. */
  status?: 200 | 201 | 202 | 204;
  /** The JSON body, as the route sends it (dates as ISO strings). */
  json?: z.ZodType;
  /** Bodies that are not JSON (`text/csv`, `image/jpeg`, `text/event-stream`…): instead of it, or as well. */
  contentType?: readonly string[];
  /** What the body holds, when the summary does not say it. */
  description?: string;
}

/**
 * One route's declaration, kept on its handler (`GET.declaration`): the route wrapper checks and parses
 * with it, the API document (lib/dashboard/openapi.ts) and the role-matrix test read it.
 */
export interface RouteDeclaration {
  /** One line for the API document. */
  summary?: string;
  /** Who may call it; a `public` route checks its own token, or none. */
  roles: readonly SessionRole[];
  public: boolean;
  /** A lecturer may call it only for a course they teach (the handler checks, through lib/auth/access). */
  ownCourse: boolean;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** A multipart upload's fields, for the document (the handler reads the form itself). */
  form?: z.ZodType;
  response?: RouteResponse;
}

export type DeclaredHandler = ((
  req: Request,
  context?: { params: Promise<Record<string, string | string[] | undefined>> },
) => Promise<Response>) & { declaration: RouteDeclaration };
