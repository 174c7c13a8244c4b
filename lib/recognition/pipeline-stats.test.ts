import { describe, expect, it } from 'vitest';
import { cameraLoadSample, cameraStats } from './pipeline-stats';

describe('cameraStats (GET /healthz)', () => {
  it('shows a camera error without the stream URL’s user:pass', () => {
    const processing = {
      processed: 0,
      analyzeErrors: 0,
      faces: 0,
      tracks: 0,
      recognized: 0,
      unknown: 0,
      suspectedSpoofs: 0,
      skipped: {},
      gated: 0,
      embedded: 0,
      lastError: null,
      lastProcessedAt: null,
    };
    const hub = {
      state: 'backoff',
      framesIn: 0,
      dropped: 0,
      reconnects: 3,
      lastError: 'connection refused by http://admin:hunter2@10.0.0.5:81/stream',
      lastFrameAt: null,
    } as never;
    const s = cameraStats({ cameraId: 'c', name: 'Room 101', mode: 'pull' }, hub, processing, 0);
    expect(s.lastError).toBe('connection refused by http://***@10.0.0.5:81/stream');
  });
});

describe('cameraLoadSample (worker-load.ts)', () => {
  it('counts frames the change gate passed over as handled, so an idle camera does not look saturated', () => {
    const processing = {
      processed: 10,
      analyzeErrors: 1,
      faces: 0,
      tracks: 0,
      recognized: 0,
      unknown: 0,
      suspectedSpoofs: 0,
      skipped: {},
      gated: 39,
      embedded: 4,
      lastError: null,
      lastProcessedAt: null,
    };
    const hub = { state: 'streaming', framesIn: 50, dropped: 0, reconnects: 0, oldestQueuedAt: null } as never;
    expect(cameraLoadSample('c', hub, processing, 0)).toEqual({
      cameraId: 'c',
      arrived: 50,
      analysed: 50,
      oldestQueuedMs: null,
    });
    expect(cameraStats({ cameraId: 'c', name: 'Room 101', mode: 'pull' }, hub, processing, 0)).toMatchObject({
      processed: 10,
      gated: 39,
      embedded: 4,
    });
  });
});
