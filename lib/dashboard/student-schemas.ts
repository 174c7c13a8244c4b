import { z } from 'zod';
import { DISPUTE_KINDS } from '@/db/schema';

/** Request bodies of the student routes (/api/me/…) and of resolving a dispute, shared with the OpenAPI document. */
export const fileDisputeBody = z.object({
  sessionId: z.string().min(1).max(36),
  kind: z.enum(DISPUTE_KINDS),
  text: z.string().trim().min(1, 'Say in a few words what happened').max(500),
});

export const resolveDisputeBody = z.object({ decision: z.enum(['accept', 'decline']) });
