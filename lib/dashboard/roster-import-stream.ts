/**
 * The dashboard's roster import answers with a stream of JSON lines (application/x-ndjson) instead of
 * a job with a status endpoint: one request carries the photos, the progress and the result, and there
 * is no job state to keep or expire on the server. Lines: `start` (photo total), `progress` after each
 * photo, then `done` with the per-row result and its CSV — or `error`. A browser that goes away does
 * not stop the import: it runs to the end (and is audited); re-running it later changes nothing.
 */
import type { ImportProgress } from '@/lib/enrollment/roster-import';
import { rosterResultCsv, type RosterImportResult } from '@/lib/enrollment/roster-plan';
import { AppError } from '@/lib/errors';
import { createLogger } from '@/lib/log';

export type RosterImportEvent =
  | { type: 'start'; total: number }
  | { type: 'progress'; done: number; total: number; file: string }
  | { type: 'done'; result: RosterImportResult; csv: string }
  | { type: 'error'; message: string };

export function rosterImportStream(
  run: (progress: ImportProgress) => Promise<RosterImportResult>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let open = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: RosterImportEvent) => {
        if (open) controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
      };
      let total = 0;
      let done = 0;
      const progress: ImportProgress = {
        start: (n) => {
          total = n;
          send({ type: 'start', total });
        },
        tick: (file) => send({ type: 'progress', done: ++done, total, file }),
        stop: () => undefined,
      };
      run(progress)
        .then((result) => send({ type: 'done', result, csv: rosterResultCsv(result) }))
        .catch((err: unknown) => {
          if (!(err instanceof AppError)) createLogger('roster-import').error({ err }, 'roster import failed');
          send({
            type: 'error',
            message:
              err instanceof AppError
                ? err.message
                : 'The import stopped because of a server error; run it again to finish it (rows already imported are not imported twice).',
          });
        })
        .finally(() => {
          if (open) controller.close();
          open = false;
        });
    },
    cancel() {
      open = false;
    },
  });
}
