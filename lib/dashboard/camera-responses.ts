import { z } from 'zod';
import { cameraRow, isoTime } from './responses';

/** Cameras with their lease holders and stats, and the registered workers. */
export const cameraList = z.object({
  workerReachable: z.boolean(),
  cameras: z.array(
    cameraRow.extend({
      online: z.boolean(),
      workerId: z.string().nullable(),
      leaseExpiresAt: isoTime.nullable(),
      stats: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  workers: z.array(
    z.object({
      workerId: z.string(),
      internalUrl: z.string(),
      capacity: z.number().int(),
      startedAt: isoTime,
      lastSeenAt: isoTime,
      live: z.boolean(),
      cameras: z.number().int(),
      reachable: z.boolean(),
    }),
  ),
});

/** The worker answered from the connection it holds (its state then), or from a new one (null). */
const held = z.object({ state: z.string() }).nullable();

/** "Test connection": the frame with its faces, or what went wrong in words. */
export const cameraTest = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    image: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    faces: z.array(z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() })),
    report: z.object({ verdict: z.string(), faces: z.number().int() }),
    summary: z.string(),
    elapsedMs: z.number(),
    held,
  }),
  z.object({
    ok: z.literal(false),
    error: z.object({ kind: z.string(), message: z.string(), detail: z.string() }),
    elapsedMs: z.number(),
    held,
  }),
]);
