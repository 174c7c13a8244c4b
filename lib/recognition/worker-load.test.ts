import { describe, expect, it } from 'vitest';
import { CapacityRule, LIMIT_HOLD_MS, LoadMeter, type CameraLoadSample, type WorkerLoad } from './worker-load';

/** `n` cameras at `fps`, `share` of frames analysed, each oldest queued frame `queuedMs` old, sampled at `t` ms. */
function cameras(n: number, t: number, o: { fps?: number; share?: number; queuedMs?: number | null } = {}) {
  const arrived = Math.floor((t / 1000) * (o.fps ?? 5));
  return Array.from({ length: n }, (_, i): CameraLoadSample => ({
    cameraId: `cam${i}`,
    arrived,
    analysed: Math.floor(arrived * (o.share ?? 1)),
    oldestQueuedMs: o.queuedMs === undefined ? null : o.queuedMs,
  }));
}

/** Samples every 5 s (a lease round at the default TTL) from `from` to `to` ms. */
function fill(meter: LoadMeter, from: number, to: number, sample: (t: number) => CameraLoadSample[]): void {
  for (let t = from; t <= to; t += 5_000) meter.record(t, sample(t));
}

describe('LoadMeter', () => {
  it('a worker that analyses every frame with empty queues is not saturated', () => {
    const meter = new LoadMeter();
    fill(meter, 0, 40_000, (t) => cameras(2, t));
    expect(meter.load()).toMatchObject({
      windowSeconds: 30,
      cameras: 2,
      arrivedPerSecond: 10,
      analysedPerSecond: 10,
      analysedShare: 1,
      oldestQueueAgeMs: null,
      judged: true,
      saturated: false,
    });
  });

  it('frames arrived but never analysed (dropped from full queues): saturated below 90 %', () => {
    const meter = new LoadMeter();
    fill(meter, 0, 40_000, (t) => cameras(4, t, { share: 0.85 }));
    expect(meter.load()).toMatchObject({ judged: true, saturated: true });
    expect(meter.load().analysedShare).toBeCloseTo(0.85, 2);
    const ok = new LoadMeter();
    fill(ok, 0, 40_000, (t) => cameras(4, t, { share: 0.95 }));
    expect(ok.load().saturated).toBe(false);
  });

  it('queues two frame intervals behind on average: saturated, whatever the frame rate', () => {
    // 2 fps: an interval is 500 ms; 1.1 s old is 2.2 intervals behind.
    const slow = new LoadMeter();
    fill(slow, 0, 40_000, (t) => cameras(1, t, { fps: 2, queuedMs: 1_100 }));
    expect(slow.load()).toMatchObject({ queueBehindFrames: 2.2, oldestQueueAgeMs: 1_100, saturated: true });
    // The same age at 10 fps would be far more frames, but 150 ms at 5 fps is less than one interval.
    const fine = new LoadMeter();
    fill(fine, 0, 40_000, (t) => cameras(3, t, { queuedMs: 150 }));
    expect(fine.load()).toMatchObject({ queueBehindFrames: 0.75, saturated: false });
  });

  it('gives no verdict before a full window, nor with too few frames (offline cameras)', () => {
    const early = new LoadMeter();
    fill(early, 0, 25_000, (t) => cameras(2, t, { share: 0.3 }));
    expect(early.load()).toMatchObject({ judged: false, saturated: false });
    const idle = new LoadMeter();
    fill(idle, 0, 40_000, () => cameras(2, 0));
    expect(idle.load()).toMatchObject({ analysedShare: null, judged: false, saturated: false });
  });

  it('a camera taken or given up starts a new window: the verdict is about the cameras held now', () => {
    const meter = new LoadMeter();
    fill(meter, 0, 40_000, (t) => cameras(2, t, { share: 0.5 }));
    expect(meter.load().saturated).toBe(true);
    meter.record(45_000, cameras(1, 45_000, { share: 0.5 }));
    expect(meter.load()).toMatchObject({ windowSeconds: 0, cameras: 1, judged: false, saturated: false });
  });

  it('covers the last 30 s only: an overload that ended is forgotten', () => {
    const meter = new LoadMeter();
    // 60 s behind (half the frames), then keeping up: per camera analysed counter catches the rate again.
    let analysed = 0;
    let arrived = 0;
    for (let t = 0; t <= 120_000; t += 5_000) {
      if (t > 0) {
        arrived += 25;
        analysed += t <= 60_000 ? 12 : 25;
      }
      meter.record(t, [{ cameraId: 'c', arrived, analysed, oldestQueuedMs: null }]);
      if (t === 60_000) expect(meter.load().saturated).toBe(true);
    }
    expect(meter.load()).toMatchObject({ windowSeconds: 30, analysedShare: 1, saturated: false });
  });
});

describe('CapacityRule', () => {
  const load = (o: Partial<WorkerLoad>): WorkerLoad => ({
    windowSeconds: 30,
    cameras: 4,
    arrivedPerSecond: 20,
    analysedPerSecond: 20,
    analysedShare: 1,
    oldestQueueAgeMs: null,
    queueBehindFrames: 0,
    judged: true,
    saturated: false,
    ...o,
  });

  it('with room, the capacity is WORKER_CAPACITY', () => {
    expect(new CapacityRule(100).decide(0, 4, load({}))).toEqual({ capacity: 100, reason: 'room' });
    expect(new CapacityRule(100).decide(0, 4, load({ judged: false }))).toEqual({ capacity: 100, reason: 'measuring' });
  });

  it('saturated but covering its cameras: keeps what it holds and takes no more', () => {
    const rule = new CapacityRule(100);
    expect(rule.decide(0, 4, load({ analysedShare: 0.97, queueBehindFrames: 2.5, saturated: true }))).toEqual({
      capacity: 4,
      reason: 'saturated',
    });
  });

  it('overloaded: down to the cameras its throughput covers, never below one', () => {
    // 10 cameras, 80 % analysed: 8 cameras of work, at 90 % each → 8.9 → 8.
    expect(new CapacityRule(100).decide(0, 10, load({ analysedShare: 0.8, saturated: true }))).toEqual({
      capacity: 8,
      reason: 'overloaded',
    });
    // 10 cameras at 85 %: 9 cameras would each get 94 %, so only one goes.
    expect(new CapacityRule(100).decide(0, 10, load({ analysedShare: 0.85, saturated: true })).capacity).toBe(9);
    expect(new CapacityRule(100).decide(0, 1, load({ analysedShare: 0.2, saturated: true })).capacity).toBe(1);
  });

  it('never above WORKER_CAPACITY', () => {
    expect(new CapacityRule(3).decide(0, 5, load({ queueBehindFrames: 3, saturated: true })).capacity).toBe(3);
  });

  it('keeps the learned limit while measuring and while calm, and forgets it after LIMIT_HOLD_MS without saturation', () => {
    const rule = new CapacityRule(100);
    expect(rule.decide(0, 10, load({ analysedShare: 0.8, saturated: true })).capacity).toBe(8);
    // Gave up 2: a new window is measured; the capacity stays 8 meanwhile, not back to 100 (no ping-pong).
    expect(rule.decide(5_000, 8, load({ judged: false }))).toEqual({ capacity: 8, reason: 'measuring' });
    expect(rule.decide(40_000, 8, load({}))).toEqual({ capacity: 8, reason: 'limit' });
    expect(rule.decide(LIMIT_HOLD_MS - 1, 8, load({}))).toEqual({ capacity: 8, reason: 'limit' });
    expect(rule.decide(LIMIT_HOLD_MS, 8, load({}))).toEqual({ capacity: 100, reason: 'room' });
  });

  it('a saturation confirmed again restarts the hold', () => {
    const rule = new CapacityRule(100);
    rule.decide(0, 6, load({ queueBehindFrames: 2.4, saturated: true }));
    rule.decide(LIMIT_HOLD_MS - 1_000, 6, load({ queueBehindFrames: 2.4, saturated: true }));
    expect(rule.decide(LIMIT_HOLD_MS + 1_000, 6, load({}))).toEqual({ capacity: 6, reason: 'limit' });
  });
});
