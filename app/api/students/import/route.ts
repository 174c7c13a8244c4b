import { z } from 'zod';
import { route } from '@/lib/auth/route';
import { rosterImportStream } from '@/lib/dashboard/roster-import-stream';
import { planRosterImport, runRosterImport } from '@/lib/enrollment/roster-plan';
import { readRosterUpload } from '@/lib/enrollment/roster-upload';
import { getWebEngine } from '@/lib/face/web-engine';
import { rosterPreview } from '@/lib/dashboard/student-responses';

export const dynamic = 'force-dynamic';
export const maxDuration = 3600;

/**
 * Roster import (multipart: `roster` CSV, `archive` ZIP and/or `photos`, `mode`). `mode=preview`
 * answers the per-row problems as JSON and writes nothing; `mode=import` imports the rows without
 * problems and streams JSON lines (progress, then the per-row result).
 */
export const POST = route(
  {
    summary:
      'Roster import (multipart: "roster" CSV with student_number, name, email, courses; "archive" ZIP and/or "photos" files named by student number, e.g. S1001_2.jpg; "mode"). mode=preview: JSON per-row problems, nothing written. mode=import: application/x-ndjson lines start → progress (one per photo) → done (per-row result + result CSV) or error. Idempotent; audited',
    roles: ['admin'],
    form: z.object({
      roster: z.file(),
      archive: z.file().optional(),
      photos: z.array(z.file()).optional(),
      mode: z.enum(['preview', 'import']),
    }),
    response: {
      json: rosterPreview,
      contentType: ['application/x-ndjson'],
      description: 'mode=preview: the JSON preview; mode=import: JSON lines',
    },
  },
  async ({ req, user }) => {
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
  },
);
