/**
 * The worker's internal routes, called by the web app with the shared INTERNAL_TOKEN:
 *   POST /internal/frames/:cameraId               a pushed camera's JPEG (202 once queued)
 *   GET  /internal/cameras/:cameraId/last-frame   the last processed frame with face boxes drawn
 * The token is checked before anything else about the request is looked at.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PushSource } from '@/lib/camera/push-source';
import { cameraIdFromInternalPath, INTERNAL_TOKEN_HEADER, isValidInternalToken } from '@/lib/devices/internal-frames';
import { cameraIdFromLastFramePath } from '@/lib/devices/internal-last-frame';
import type { LastFrame } from '@/lib/recognition/last-frames';

export interface InternalRoutesDeps {
  internalToken: string;
  maxPushBytes: number;
  /** The push camera processed here under that id; undefined when it is not processed here. */
  pushSource: (cameraId: string) => Pick<PushSource, 'push'> | undefined;
  lastFrame: (cameraId: string) => LastFrame | undefined;
  renderLastFrame: (frame: LastFrame) => Promise<Buffer>;
}

function send(res: ServerResponse, status: number, body: object): true {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
  return true;
}

/** A request handler for the worker's HTTP server: true when it answered the request. */
export function internalRoutes(deps: InternalRoutesDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const authorised = (req: IncomingMessage) =>
    isValidInternalToken(req.headers[INTERNAL_TOKEN_HEADER], deps.internalToken);

  const lastFrame = (
    req: IncomingMessage,
    res: ServerResponse,
    path: ReturnType<typeof cameraIdFromLastFramePath> & object,
  ) => {
    if (!authorised(req)) return send(res, 401, { error: 'bad internal token' });
    if (req.method !== 'GET') return send(res, 405, { error: 'method not allowed' });
    if ('malformed' in path) return send(res, 400, { error: 'the camera id in the path is not valid URL encoding' });
    const frame = deps.lastFrame(path.cameraId);
    if (!frame) return send(res, 404, { error: 'no frame yet' });
    deps.renderLastFrame(frame).then(
      (jpeg) => {
        res.writeHead(200, {
          'content-type': 'image/jpeg',
          'cache-control': 'no-store',
          'x-frame-at': new Date(frame.at).toISOString(),
        });
        res.end(jpeg);
      },
      (err: unknown) => send(res, 500, { error: String(err) }),
    );
    return true;
  };

  const pushedFrame = (
    req: IncomingMessage,
    res: ServerResponse,
    path: ReturnType<typeof cameraIdFromInternalPath> & object,
  ) => {
    if (!authorised(req)) return send(res, 401, { error: 'bad internal token' });
    if (req.method !== 'POST') return send(res, 405, { error: 'method not allowed' });
    if ('malformed' in path) return send(res, 400, { error: 'the camera id in the path is not valid URL encoding' });
    const { cameraId } = path;
    if (!(req.headers['content-type'] ?? '').startsWith('image/jpeg'))
      return send(res, 415, { error: 'image/jpeg only' });
    if (!deps.pushSource(cameraId)) return send(res, 404, { error: 'no such push camera' });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > deps.maxPushBytes) {
        send(res, 413, { error: 'frame too large' });
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      // Looked up again: the camera may have moved to another worker while the body was read.
      const camera = deps.pushSource(cameraId);
      if (!camera) return send(res, 404, { error: 'no such push camera' });
      // Not taken while the camera reconnects (a source change): one frame of a stream, as a queue drop would be.
      camera.push({ cameraId, jpeg: Buffer.concat(chunks), receivedAt: Date.now() });
      send(res, 202, { queued: true });
    });
    return true;
  };

  return (req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    const last = cameraIdFromLastFramePath(pathname);
    if (last !== null) return lastFrame(req, res, last);
    const pushed = cameraIdFromInternalPath(pathname);
    if (pushed !== null) return pushedFrame(req, res, pushed);
    return false;
  };
}
