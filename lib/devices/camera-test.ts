import 'server-only';
import { describeCameraError, type CameraErrorWords } from '@/lib/camera/describe-camera-error';
import { findCameraOwnerUrl } from '@/lib/data/camera-leases';
import { getCameraOrThrow } from '@/lib/data/cameras';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { createLogger } from '@/lib/log';
import { assertCameraSource, faceSizeReport, faceSizeSentence, type FaceSizeReport } from './camera-setup';
import { WorkerUnavailableError } from './internal-frames';
import { requestTestFrame, type HeldBy, type TestFrameRequest } from './internal-test-frame';

export type CameraTestResult =
  | {
      ok: true;
      image: string;
      width: number;
      height: number;
      faces: Array<{ x: number; y: number; width: number; height: number }>;
      report: FaceSizeReport;
      summary: string;
      elapsedMs: number;
      /** The frame came from the connection the worker holds (its state then), or from a new one (null). */
      held: HeldBy;
    }
  | { ok: false; error: CameraErrorWords; elapsedMs: number; held: HeldBy };

/** Asks the worker for one frame of a pull camera and says what it shows (or what went wrong) in words. */
export async function testCameraConnection(cameraId: string): Promise<CameraTestResult> {
  const camera = await getCameraOrThrow(cameraId);
  if (camera.mode === 'push') {
    throw new AppError(
      'VALIDATION',
      'A push camera sends its frames to the dashboard itself, so there is no address to test: once it is on, its last frame appears on this page (and its serial log says why not; see firmware/esp32-cam/README.md)',
    );
  }
  assertCameraSource(camera);
  const source: TestFrameRequest = camera.streamUrl
    ? { url: camera.streamUrl, kind: 'stream' }
    : { url: camera.snapshotUrl as string, kind: 'snapshot' };
  const settings = env();
  // The worker holding the camera's lease tests with its own connection (a one-viewer camera refuses a second).
  const workerUrl = (settings.workerUrlFixed ? null : await findCameraOwnerUrl(camera.cameraId)) ?? settings.WORKER_URL;
  let result;
  try {
    result = await requestTestFrame({ workerUrl, internalToken: settings.INTERNAL_TOKEN }, camera.cameraId, source);
  } catch (err) {
    if (err instanceof WorkerUnavailableError)
      throw new AppError(
        'UNAVAILABLE',
        'The recognition worker is not reachable, so it cannot test the camera: start it (npm start runs both) and try again',
        { cause: err },
      );
    throw err;
  }
  const log = createLogger('camera-test');
  if (!result.ok) {
    const error = describeCameraError(result.error, result.code);
    log.info(
      { camera: camera.name, kind: error.kind, detail: error.detail, elapsedMs: result.elapsedMs, held: result.held },
      'camera test: no frame',
    );
    return { ok: false, error, elapsedMs: result.elapsedMs, held: result.held ?? null };
  }
  const faces = result.faces.map((b) => ({
    x: Math.round(b.x),
    y: Math.round(b.y),
    width: Math.round(b.width),
    height: Math.round(b.height),
  }));
  const report = faceSizeReport(
    faces.map((f) => f.width),
    settings.CAMERA_MIN_FACE_SIZE,
  );
  log.info(
    {
      camera: camera.name,
      faces: faces.length,
      widths: faces.map((f) => f.width),
      verdict: report.verdict,
      elapsedMs: result.elapsedMs,
    },
    'camera test: frame',
  );
  return {
    ok: true,
    image: `data:image/jpeg;base64,${result.jpeg}`,
    width: result.width,
    height: result.height,
    faces,
    report,
    summary: faceSizeSentence(report),
    elapsedMs: result.elapsedMs,
    held: result.held ?? null,
  };
}
