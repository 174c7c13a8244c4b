import { describe, expect, it } from 'vitest';
import { cameraStatRows, cameraStatsFrom, workerLoadFrom } from './worker-stats';

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

describe('cameraStatRows', () => {
  it("turns the worker's raw figures into ordered rows with words, leaving out identity, errors and unknown fields", () => {
    const raw = {
      cameraId: 'c1',
      name: 'Room A camera',
      mode: 'pull',
      state: 'streaming',
      framesIn: 1204,
      processed: 600,
      gated: 480,
      dropped: 12,
      faces: 40,
      recognized: 9,
      unknown: 1,
      recorded: 8,
      reconnects: 0,
      analyzeErrors: 0,
      lastError: 'timeout',
      lastFrameAt: '2026-12-07T09:00:00.000Z',
      futureField: 7,
      nested: { a: 1 },
    };
    expect(cameraStatRows(raw)).toEqual([
      { key: 'stats.state', kind: 'text', value: 'streaming' },
      { key: 'stats.framesIn', kind: 'count', value: 1204 },
      { key: 'stats.processed', kind: 'count', value: 600 },
      { key: 'stats.gated', kind: 'count', value: 480 },
      { key: 'stats.dropped', kind: 'count', value: 12 },
      { key: 'stats.faces', kind: 'count', value: 40 },
      { key: 'stats.recognized', kind: 'count', value: 9 },
      { key: 'stats.unknown', kind: 'count', value: 1 },
      { key: 'stats.recorded', kind: 'count', value: 8 },
      { key: 'stats.reconnects', kind: 'count', value: 0 },
      { key: 'stats.analyzeErrors', kind: 'count', value: 0 },
      { key: 'stats.lastFrameAt', kind: 'time', value: '2026-12-07T09:00:00.000Z' },
    ]);
  });
  it('skips figures that are missing or not usable, and has no rows without stats', () => {
    expect(cameraStatRows({ framesIn: 'many', processed: NaN, lastFrameAt: null, state: '' })).toEqual([]);
    expect(cameraStatRows(undefined)).toEqual([]);
  });
});

describe('workerLoadFrom', () => {
  const load = {
    windowSeconds: 30.1,
    cameras: 4,
    arrivedPerSecond: 20,
    analysedPerSecond: 15.2,
    analysedShare: 0.76,
    oldestQueueAgeMs: 640,
    queueBehindFrames: 3.2,
    judged: true,
    saturated: true,
    capacity: 3,
    maxCapacity: 100,
    capacityReason: 'overloaded',
  };
  it("reads the load figures of the worker's /healthz (pipeline.leases.load)", () => {
    const body = { status: 'ok', pipeline: { cameras: [], leases: { workerId: 'w1', cameras: [], load } } };
    expect(workerLoadFrom({ reachable: true, body })).toMatchObject({
      analysedPerSecond: 15.2,
      saturated: true,
      capacity: 3,
      capacityReason: 'overloaded',
    });
  });
  it('none from an unreachable worker, an older worker without them, or figures of the wrong shape', () => {
    expect(workerLoadFrom({ reachable: false, error: 'ECONNREFUSED' })).toBeNull();
    expect(workerLoadFrom(null)).toBeNull();
    expect(workerLoadFrom({ reachable: true, body: { pipeline: { leases: { workerId: 'w1' } } } })).toBeNull();
    expect(
      workerLoadFrom({
        reachable: true,
        body: { pipeline: { leases: { load: { ...load, capacityReason: 'bored' } } } },
      }),
    ).toBeNull();
  });
});
