/**
 * "Test connection" on the cameras page: the web app asks the worker — the process that will read
 * the camera, on its network — to fetch one frame from a URL and find the faces in it (both sides
 * import this file so they agree):
 *   POST ${WORKER_URL}/internal/cameras/:cameraId/test-frame
 *   x-internal-token: <INTERNAL_TOKEN>
 *   {"url": "http://…", "kind": "stream" | "snapshot"}
 * 200 {ok: true, width, height, faces: [{x, y, width, height}], jpeg: <base64, boxes drawn>, elapsedMs, held}
 * or 200 {ok: false, code, error (credentials stripped), elapsedMs, held} when the camera could not be read.
 * When this worker already reads the camera at that URL (it holds its lease), the test uses that
 * connection's newest frame and state (`held: {state}`) instead of opening a second connection: an
 * ESP32 serves one viewer, and a second one is refused while the worker watches. `held: null` when
 * the test opened its own connection. Nothing is stored; the frame lives only in this request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readMjpegStream } from '@/lib/camera/mjpeg-reader';
import { redactCredentials } from '@/lib/camera/redact';
import { pollSnapshots } from '@/lib/camera/snapshot-poller';
import type { SourceOutcome } from '@/lib/camera/types';
import type { FaceBox } from '@/lib/face/types';
import { drawFaceBoxes } from '@/lib/recognition/frame-overlay';
import {
  INTERNAL_TOKEN_HEADER,
  WorkerUnavailableError,
  decodeCameraSegment,
  isValidInternalToken,
} from './internal-frames';
import { RELIABLE_FACE_PX } from './camera-setup';

const PATTERN = /^\/internal\/cameras\/([^/]+)\/test-frame$/;
/** A test that has not produced a frame by then has failed: a camera that slow is not usable either. */
export const TEST_FRAME_TIMEOUT_MS = 8_000;
const MAX_BODY_BYTES = 4_096;
const MAX_IN_FLIGHT = 2;

export interface TestFrameRequest {
  url: string;
  kind: 'stream' | 'snapshot';
}

/** The connection a worker holds to the camera: where its newest frame and its state come from. */
export interface HeldConnection {
  latest(): { jpeg: Buffer; receivedAt: number } | undefined;
  state(): { state: string; lastError: string | null; lastErrorCode: string | null } | undefined;
}

/** Which connection the test used: the worker's own (with its state), or a new one (null). */
export type HeldBy = { state: string } | null;

export type TestFrameResult =
  | { ok: true; width: number; height: number; faces: FaceBox[]; jpeg: string; elapsedMs: number; held?: HeldBy }
  | { ok: false; code: string; error: string; elapsedMs: number; held?: HeldBy };

/** A held camera's frame counts as "now" if it is at most this old. */
const HELD_FRAME_FRESH_MS = 2_000;

export function testFrameUrl(workerUrl: string, cameraId: string): string {
  return `${workerUrl.replace(/\/+$/, '')}/internal/cameras/${encodeURIComponent(cameraId)}/test-frame`;
}

type Grabbed = { ok: true; jpeg: Buffer } | { ok: false; code: string; error: string };

function failureOf(outcome: SourceOutcome, timeoutMs: number): Grabbed {
  if (outcome.status === 'failed') return { ok: false, code: outcome.failure.code, error: outcome.failure.message };
  if (outcome.status === 'stalled')
    return { ok: false, code: 'stalled', error: `no frame for ${outcome.stallTimeoutMs} ms` };
  if (outcome.status === 'ended') return { ok: false, code: 'ended', error: 'stream ended before the first frame' };
  return { ok: false, code: 'timeout', error: `no frame within ${timeoutMs} ms` };
}

/** One JPEG from a stream or snapshot URL, or why not; never throws for a camera problem. */
export async function grabOneFrame(req: TestFrameRequest, timeoutMs = TEST_FRAME_TIMEOUT_MS): Promise<Grabbed> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let jpeg: Buffer | undefined;
  const onFrame = (frame: { jpeg: Buffer }) => {
    jpeg ??= frame.jpeg;
    controller.abort();
  };
  try {
    const outcome =
      req.kind === 'stream'
        ? await readMjpegStream(
            req.url,
            { signal: controller.signal, onFrame },
            { cameraId: 'test', connectTimeoutMs: timeoutMs, stallTimeoutMs: timeoutMs },
          )
        : await pollSnapshots(
            req.url,
            { signal: controller.signal, onFrame },
            { cameraId: 'test', intervalMs: 1_000, requestTimeoutMs: timeoutMs },
          );
    return jpeg ? { ok: true, jpeg } : failureOf(outcome, timeoutMs);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The newest frame of the worker's own connection, waiting up to `timeoutMs` for a fresh one; when
 * none comes, the connection's last error (or a timeout) says why.
 */
export async function grabHeldFrame(held: HeldConnection, timeoutMs = TEST_FRAME_TIMEOUT_MS): Promise<Grabbed> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = held.latest();
    if (frame && Date.now() - frame.receivedAt <= HELD_FRAME_FRESH_MS) return { ok: true, jpeg: frame.jpeg };
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const state = held.state();
  if (state?.lastError && state.lastErrorCode) return { ok: false, code: state.lastErrorCode, error: state.lastError };
  return { ok: false, code: 'timeout', error: `no frame within ${timeoutMs} ms` };
}

export interface TestFrameHandlerOptions {
  internalToken: string;
  /** The connection this worker holds to the camera at `url`; undefined when it does not read it. */
  held?: (cameraId: string, url: string) => HeldConnection | undefined;
  /** Face boxes of a camera frame, as the pipeline's detector finds them (same minimum face size). */
  findFaces: (jpeg: Buffer) => Promise<{ width: number; height: number; boxes: FaceBox[] }>;
  timeoutMs?: number;
  onError?: (err: unknown) => void;
}

/** Worker side: answers the test-frame route, false for any other request. */
export function testFrameHandler(
  opts: TestFrameHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  let inFlight = 0;
  const send = (res: ServerResponse, status: number, body: object) => {
    if (res.headersSent) return void res.end();
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  return (req, res) => {
    const m = PATTERN.exec((req.url ?? '/').split('?')[0] ?? '/');
    if (!m) return false;
    // The token first: nothing about the request is looked at for a caller without it.
    if (!isValidInternalToken(req.headers[INTERNAL_TOKEN_HEADER], opts.internalToken))
      return (send(res, 401, { error: 'bad internal token' }), true);
    if (req.method !== 'POST') return (send(res, 405, { error: 'method not allowed' }), true);
    const segment = decodeCameraSegment(m[1] as string);
    if ('malformed' in segment)
      return (send(res, 400, { error: 'the camera id in the path is not valid URL encoding' }), true);
    if (inFlight >= MAX_IN_FLIGHT)
      return (send(res, 429, { error: 'a camera test is already running; try again in a few seconds' }), true);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        send(res, 413, { error: 'body too large' });
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      let body: TestFrameRequest;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as TestFrameRequest;
        if (typeof body.url !== 'string' || (body.kind !== 'stream' && body.kind !== 'snapshot'))
          throw new Error('shape');
      } catch {
        return send(res, 400, { error: 'body must be {"url": "http://…", "kind": "stream" | "snapshot"}' });
      }
      inFlight += 1;
      const started = Date.now();
      run(body, started, segment.cameraId)
        .then((result) => send(res, 200, result))
        .catch((err: unknown) => {
          opts.onError?.(err);
          send(res, 500, { error: 'internal error' });
        })
        .finally(() => (inFlight -= 1));
    });
    return true;
  };

  async function run(body: TestFrameRequest, started: number, cameraId: string): Promise<TestFrameResult> {
    const connection = opts.held?.(cameraId, body.url);
    const grabbed = connection
      ? await grabHeldFrame(connection, opts.timeoutMs)
      : await grabOneFrame(body, opts.timeoutMs);
    const held: HeldBy = connection ? { state: connection.state()?.state ?? 'stopped' } : null;
    if (!grabbed.ok)
      return { ...grabbed, error: redactCredentials(grabbed.error), elapsedMs: Date.now() - started, held };
    let found;
    try {
      found = await opts.findFaces(grabbed.jpeg);
    } catch (err) {
      // A part that is not a decodable JPEG is the camera's problem, not the worker's.
      return {
        ok: false,
        code: 'not-image',
        error: `the camera sent a frame that is not a JPEG picture (${(err as Error).message})`,
        elapsedMs: Date.now() - started,
        held,
      };
    }
    const drawn = await drawFaceBoxes(
      grabbed.jpeg,
      found.boxes.map((box) => ({
        box,
        tone: box.width >= RELIABLE_FACE_PX ? 'recognized' : 'pending',
        text: `${Math.round(box.width)} px`,
      })),
    );
    return {
      ok: true,
      width: found.width,
      height: found.height,
      faces: found.boxes,
      jpeg: drawn.toString('base64'),
      elapsedMs: Date.now() - started,
      held,
    };
  }
}

/** Web side: the worker's verdict; throws WorkerUnavailableError if the worker cannot be asked. */
export async function requestTestFrame(
  opts: { workerUrl: string; internalToken: string; timeoutMs?: number },
  cameraId: string,
  body: TestFrameRequest,
): Promise<TestFrameResult> {
  let res: Response;
  try {
    res = await fetch(testFrameUrl(opts.workerUrl, cameraId), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [INTERNAL_TOKEN_HEADER]: opts.internalToken },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? TEST_FRAME_TIMEOUT_MS + 7_000),
      cache: 'no-store',
    });
  } catch (err) {
    throw new WorkerUnavailableError(`worker unreachable: ${(err as Error).message}`, { cause: err });
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new WorkerUnavailableError(`worker answered ${res.status}`);
  }
  return (await res.json()) as TestFrameResult;
}
