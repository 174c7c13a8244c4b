import { describe, expect, it } from 'vitest';
import { cameraStatsFrom } from './worker-stats';

describe('cameraStatsFrom', () => {
  it("reads the worker's /healthz shape (pipeline.cameras, an array keyed by cameraId)", () => {
    const body = {
      status: 'ok',
      checks: { database: { ok: true } },
      pipeline: {
        cameras: [
          {
            cameraId: 'c1',
            name: 'cam',
            state: 'backoff',
            lastError: 'connection refused by http://***@10.0.0.5/stream',
          },
        ],
        writer: {},
      },
    };
    expect(cameraStatsFrom({ reachable: true, body })).toEqual({ c1: body.pipeline.cameras[0] });
  });
  it('an unreachable worker has no stats', () => {
    expect(cameraStatsFrom({ reachable: false, error: 'ECONNREFUSED' })).toEqual({});
  });
});
