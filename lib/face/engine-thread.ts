/** Worker-thread side of engine-pool.ts: owns one FaceEngine and passes each request (engine-protocol.ts) to it. */
import { parentPort, workerData } from 'node:worker_threads';
import { FaceEngine, type FaceEngineOptions } from './engine';
import type { EngineReady, EngineReply, EngineRequest } from './engine-protocol';
import { ImageDecodeError } from './image';

const port = parentPort;
if (!port) throw new Error('engine-thread.ts must run in a worker thread');
const send = (m: EngineReply | EngineReady) => port.postMessage(m);

const engineReady = FaceEngine.load(workerData as FaceEngineOptions);
engineReady.then(
  () => send({ ready: true }),
  (err: Error) => send({ ready: false, error: err.message }),
);

async function run(engine: FaceEngine, req: EngineRequest): Promise<unknown> {
  switch (req.op) {
    case 'frame':
      return engine.analyzeFrame(await engine.decode(req.bytes), req.args);
    case 'enroll':
      return engine.enrollmentTemplate(req.bytes);
    case 'rebuild':
      return engine.templateForAcceptedPhoto(req.bytes);
    case 'crash':
      throw new Error('the crash op is only for tests (NODE_ENV=test)');
  }
}

const answer = async (req: EngineRequest): Promise<void> => {
  try {
    send({ id: req.id, ok: true, value: await run(await engineReady, req) });
  } catch (err) {
    const e = err as Error;
    send({
      id: req.id,
      ok: false,
      error: { name: e.name, message: e.message, code: err instanceof ImageDecodeError ? err.code : undefined },
    });
  }
};

port.on('message', (req: EngineRequest) => {
  // FaceEnginePool.crashThreadForTest: die outside answer()'s try/catch, as a bug would, so the
  // pool's crash handling is tested on a real crash. Only tests may do this to a thread.
  if (req.op === 'crash' && process.env.NODE_ENV === 'test') {
    if (req.args.how === 'exit') process.exit(1);
    throw new Error('crash requested by a test');
  }
  void answer(req);
});
