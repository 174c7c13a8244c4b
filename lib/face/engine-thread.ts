/** Worker-thread side of engine-pool.ts: owns one FaceEngine and answers analyze/enroll requests. */
import { parentPort, workerData } from 'node:worker_threads';
import { FaceEngine, type FaceEngineOptions } from './engine';
import { ImageDecodeError } from './image';

type Request = { id: number; op: 'analyze' | 'enroll'; bytes: Uint8Array; minFaceSize?: number };

const port = parentPort;
if (!port) throw new Error('engine-thread.ts must run in a worker thread');

const engineReady = FaceEngine.load(workerData as FaceEngineOptions);
engineReady.then(
  () => port.postMessage({ ready: true }),
  (err: Error) => port.postMessage({ ready: false, error: err.message }),
);

port.on('message', async (req: Request) => {
  try {
    const engine = await engineReady;
    if (req.op === 'analyze') {
      const image = await engine.decode(req.bytes);
      const faces = await engine.analyze(image, { minFaceSize: req.minFaceSize });
      port.postMessage({ id: req.id, ok: true, value: { width: image.width, height: image.height, faces } });
    } else {
      port.postMessage({ id: req.id, ok: true, value: await engine.enrollmentTemplate(req.bytes) });
    }
  } catch (err) {
    const e = err as Error;
    port.postMessage({ id: req.id, ok: false, error: { name: e.name, message: e.message, code: err instanceof ImageDecodeError ? err.code : undefined } });
  }
});
