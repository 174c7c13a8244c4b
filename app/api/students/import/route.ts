import { route } from '@/lib/auth/route';
import { rosterImportStream } from '@/lib/dashboard/roster-import-stream';
import { planRosterImport, runRosterImport } from '@/lib/enrollment/roster-plan';
import { readRosterUpload } from '@/lib/enrollment/roster-upload';
import { getWebEngine } from '@/lib/face/web-engine';

export const dynamic = 'force-dynamic';
export const maxDuration = 3600;

/**
 * Roster import (multipart: `roster` CSV, `archive` ZIP and/or `photos`, `mode`). `mode=preview`
 * answers the per-row problems as JSON and writes nothing; `mode=import` imports the rows without
 * problems and streams JSON lines (progress, then the per-row result).
 */
export const POST = route({ roles: ['admin'] }, async ({ req, user }) => {
  const upload = await readRosterUpload(req);
  const plan = await planRosterImport(upload.rows, upload.photos);
  if (upload.mode === 'preview') return Response.json(plan.preview);
  const engine = await getWebEngine();
  // One photo at a time: the web process has one in-process engine; parallel calls would only queue.
  const stream = rosterImportStream((progress) => runRosterImport(plan, { engine, progress, actorUserId: user.id }));
  return new Response(stream, {
    headers: {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  });
});
