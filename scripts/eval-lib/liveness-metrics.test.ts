import { describe, expect, it } from 'vitest';
import {
  equalErrorRate,
  errorRates,
  livenessFigures,
  meanScore,
  percentiles,
  windowSamples,
  type LivenessSample,
} from './liveness-metrics';

const live = (score: number | null): LivenessSample => ({ label: 'live', score });
const spoof = (score: number | null): LivenessSample => ({ label: 'spoof', score });

describe('liveness figures', () => {
  it('counts accepted spoofs as APCER and rejected live frames (and live frames without a face) as BPCER', () => {
    const samples = [live(0.9), live(0.4), live(null), live(0.8), spoof(0.1), spoof(0.6), spoof(null), spoof(0.2)];
    expect(errorRates(samples, 0.5)).toEqual({ apcer: 0.25, bpcer: 0.5 });
    const f = livenessFigures(samples, 0.5);
    expect(f).toMatchObject({ live: 4, spoof: 4, no_face: 2, apcer: 0.25, bpcer: 0.5 });
  });

  it('gives EER 0 for separable scores and 0.5 for identical ones', () => {
    expect(equalErrorRate([live(0.9), live(0.8), spoof(0.1), spoof(0.2)])).toBe(0);
    expect(equalErrorRate([live(0.5), spoof(0.5)])).toBe(0.5);
    // One live frame below every spoof: at the best threshold one error of four on each side.
    expect(
      equalErrorRate([live(0.9), live(0.8), live(0.7), live(0.05), spoof(0.1), spoof(0.2), spoof(0.3), spoof(0.75)]),
    ).toBe(0.25);
  });

  it('scores a window by the mean of its frames that had a face', () => {
    const seq = [live(1), live(0), live(null), live(0.5), live(0.5), live(null)];
    expect(windowSamples([seq], 3)).toEqual([live(0.5), live(0.5)]);
    expect(windowSamples([[spoof(null), spoof(null)]], 2)).toEqual([spoof(null)]);
    // A tail shorter than half a window is dropped.
    expect(windowSamples([[live(1), live(1), live(1), live(1)]], 3)).toHaveLength(1);
    expect(meanScore([null, null])).toBeNull();
  });

  it('reports p50/p95', () => {
    expect(percentiles(Array.from({ length: 100 }, (_, i) => i + 1))).toEqual({ p50: 50, p95: 95 });
  });
});
