/** Worker-thread side of engine-pool.ts: owns one FaceEngine and answers analyze/enroll requests. */
import { parentPort, workerData } from 'node:worker_threads';
import { iou } from './boxes';
import { faceBrightness } from './sighting-quality';
import { FaceEngine, type FaceEngineOptions } from './engine';
import { ImageDecodeError } from './image';
import type { MoodReading, MoodSample } from './mood';
import type { DetectedFace, FaceBox, FaceCandidate } from './types';

type Request = {
  id: number;
  op: 'analyze' | 'enroll' | 'frame' | 'rebuild' | 'crash';
  bytes: Uint8Array;
  minFaceSize?: number;
  focusBoxes?: FaceBox[];
  skipBoxes?: FaceBox[];
  skipIoU?: number;
  legacy?: boolean;
  liveness?: boolean;
  mood?: boolean;
  how?: 'throw' | 'exit';
};

const moodSample = (r: MoodReading | null): MoodSample | null =>
  r ? { mood: r.mood, eyesRead: r.eyesClosed !== null } : null;

const port = parentPort;
if (!port) throw new Error('engine-thread.ts must run in a worker thread');

const engineReady = FaceEngine.load(workerData as FaceEngineOptions);
engineReady.then(
  () => port.postMessage({ ready: true }),
  (err: Error) => port.postMessage({ ready: false, error: err.message }),
);

const answer = async (req: Request): Promise<void> => {
  try {
    if (req.op === 'crash') throw new Error('the crash op is only for tests (NODE_ENV=test)');
    const engine = await engineReady;
    if (req.op === 'analyze') {
      const image = await engine.decode(req.bytes);
      const faces = await engine.analyze(image, { minFaceSize: req.minFaceSize });
      port.postMessage({ id: req.id, ok: true, value: { width: image.width, height: image.height, faces } });
    } else if (req.op === 'frame') {
      // Camera frames: embedding costs several detections, so faces the caller already knows
      // (tracks between their votes) are only detected.
      // Landmarks too are only located for the faces to embed, when the detector can do it in two steps.
      const image = await engine.decode(req.bytes);
      const { detector } = engine;
      const twoStep =
        detector.findFaces && detector.locate
          ? { find: detector.findFaces.bind(detector), locate: detector.locate.bind(detector) }
          : null;
      // focusBoxes: between a camera's full scans, only around its known faces (detectors that can; others scan all).
      const scan = { minFaceSize: req.minFaceSize, focusBoxes: req.focusBoxes };
      const found: FaceCandidate[] = twoStep
        ? await twoStep.find(image, scan)
        : await engine.detect(image, { minFaceSize: req.minFaceSize });
      found.sort((a, b) => b.box.width - a.box.width);
      const skip = req.skipBoxes ?? [];
      const faces = [];
      for (const candidate of found) {
        const known = skip.some((b) => iou(b, candidate.box) >= (req.skipIoU ?? 0.3));
        if (known) {
          // A mood frame reads every face, also those of tracks between their votes (located for the eye crops).
          const located = req.mood
            ? twoStep
              ? await twoStep.locate(image, candidate)
              : (candidate as DetectedFace)
            : null;
          const mood = located ? moodSample(await engine.mood(image, located)) : null;
          faces.push({ face: candidate, template: null, legacy: [], liveness: null, mood });
          continue;
        }
        const face = twoStep ? await twoStep.locate(image, candidate) : (candidate as DetectedFace);
        if (!face) continue;
        faces.push({
          face,
          template: await engine.extract(image, face),
          legacy: req.legacy ? await engine.extractLegacy(image, face) : [],
          // Scored on the sightings that are embedded: each is one vote, for identity and for liveness.
          liveness: req.liveness ? await engine.liveness(image, face.box) : null,
          brightness: faceBrightness(image, face.box),
          mood: req.mood ? moodSample(await engine.mood(image, face)) : null,
        });
      }
      port.postMessage({ id: req.id, ok: true, value: { width: image.width, height: image.height, faces } });
    } else if (req.op === 'rebuild') {
      port.postMessage({ id: req.id, ok: true, value: await engine.templateForAcceptedPhoto(req.bytes) });
    } else {
      port.postMessage({ id: req.id, ok: true, value: await engine.enrollmentTemplate(req.bytes) });
    }
  } catch (err) {
    const e = err as Error;
    port.postMessage({
      id: req.id,
      ok: false,
      error: { name: e.name, message: e.message, code: err instanceof ImageDecodeError ? err.code : undefined },
    });
  }
};

port.on('message', (req: Request) => {
  // FaceEnginePool.crashThreadForTest: die outside answer()'s try/catch, as a bug would, so the
  // pool's crash handling is tested on a real crash. Only tests may do this to a thread.
  if (req.op === 'crash' && process.env.NODE_ENV === 'test') {
    if (req.how === 'exit') process.exit(1);
    throw new Error('crash requested by a test');
  }
  void answer(req);
});
