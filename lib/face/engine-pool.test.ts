/**
 * FaceEnginePool with a real pool of one thread and the default engine: a frame request reaches the
 * engine and its answer (or its image error) comes back; and a thread killed for real from inside (an
 * uncaught exception, then process.exit) must reject what was sent to the dead thread, answer the next
 * enrolment photo from its replacement, and still close.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceEnginePool } from './engine-pool';
import { ImageDecodeError } from './image';
import { skipUnlessCi } from '@/test/helpers/needs';

const ORL = path.resolve(process.cwd(), '../shared/faces/orl');
const PHOTO = path.join(ORL, 's1', '1.png');
const hasOrl = existsSync(PHOTO);
skipUnlessCi(!hasOrl, `[engine-pool.test] ${ORL} is absent: the engine pool crash tests are skipped`);

// Each crash costs a thread start plus an engine load (a few seconds).
const SLOW = { timeout: 60_000 };

describe.skipIf(!hasOrl)('FaceEnginePool with a crashing thread', SLOW, () => {
  let pool: FaceEnginePool;
  let photo: Buffer;
  const crashes: Error[] = [];

  beforeAll(async () => {
    photo = await readFile(PHOTO);
    pool = await FaceEnginePool.start({ size: 1, onThreadCrash: (err) => crashes.push(err) });
  }, 60_000);

  afterAll(() => pool?.close());

  it('answers before any crash', async () => {
    const { template } = await pool.enrollmentTemplate(photo);
    expect(template).not.toBeNull();
  });

  it("passes a frame request to the thread's engine and its answer back", async () => {
    const full = await pool.analyzeFrame(photo);
    expect([full.width, full.height]).toEqual([92, 112]);
    expect(full.faces).toHaveLength(1);
    expect(full.faces[0]!.template?.data.length).toBeGreaterThan(0);
    // The request's options arrive: the known face is only detected.
    const known = await pool.analyzeFrame(photo, { skipBoxes: [full.faces[0]!.face.box] });
    expect(known.faces).toHaveLength(1);
    expect(known.faces[0]!.template).toBeNull();
    // An image error comes back as one, with its code.
    const bad = await pool.analyzeFrame(new TextEncoder().encode('not a picture')).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ImageDecodeError);
    expect(bad).toMatchObject({ code: 'unsupported-format' });
    expect(pool.inFlight).toBe(0);
  });

  it.each(['throw', 'exit'] as const)(
    'rejects what the thread had when it dies (%s), then answers from a replacement',
    async (how) => {
      const before = crashes.length;
      const crash = pool.crashThreadForTest(how);
      // Sent to the same (only) thread right behind the crash: it is never answered by it.
      const behind = pool.enrollmentTemplate(photo);
      const reason = how === 'throw' ? /crash requested by a test/ : /exited with code 1/;
      const [crashed, queued] = await Promise.allSettled([crash, behind]);
      expect(crashed).toMatchObject({
        status: 'rejected',
        reason: { message: expect.stringMatching(/^face engine thread crashed: /) },
      });
      expect(crashed).toMatchObject({ reason: { message: expect.stringMatching(reason) } });
      expect(queued).toMatchObject({
        status: 'rejected',
        reason: { message: expect.stringMatching(/^face engine thread crashed: /) },
      });
      expect(pool.inFlight).toBe(0);
      // 'error' and 'exit' both fire for a thrown exception; the pool counts one crash.
      expect(crashes.slice(before).map((e) => e.message)).toEqual([expect.stringMatching(reason)]);

      // Made while the replacement is still loading its models: it waits for it, then resolves.
      const { template, verdict } = await pool.enrollmentTemplate(photo);
      expect(verdict.status).not.toBe('rejected');
      expect(template?.data.length).toBeGreaterThan(0);
    },
  );

  it('closes after a crash, while the replacement is still loading, and refuses calls after', async () => {
    await expect(pool.crashThreadForTest('exit')).rejects.toThrow(/^face engine thread crashed: /);
    const loading = pool.enrollmentTemplate(photo);
    const [closed, queued] = await Promise.allSettled([pool.close(), loading]);
    expect(closed).toEqual({ status: 'fulfilled', value: undefined });
    expect(queued).toMatchObject({ status: 'rejected', reason: { message: 'face engine pool is closed' } });
    await expect(pool.enrollmentTemplate(photo)).rejects.toThrow('face engine pool is closed');
    expect(pool.inFlight).toBe(0);
  });
});
