import { describe, expect, it } from 'vitest';
import { livenessAction, trackLiveness } from './track-liveness';

describe('track liveness', () => {
  it('is the mean of the sightings against the threshold', () => {
    expect(trackLiveness([0.9, 0.2, 0.7], 0.5)).toEqual({ score: 0.6, live: true });
    expect(trackLiveness([0.9, 0.05, 0.1], 0.5)?.live).toBe(false);
    expect(trackLiveness([0.5], 0.5)?.live).toBe(true);
    expect(trackLiveness([], 0.5)).toBeNull();
  });

  it('off records, flag records a doubtful one marked, block holds it back', () => {
    const doubtful = { score: 0.1, live: false },
      live = { score: 0.9, live: true };
    expect(livenessAction('off', doubtful)).toBe('record');
    expect(livenessAction('flag', doubtful)).toBe('record-doubtful');
    expect(livenessAction('block', doubtful)).toBe('block');
    expect(livenessAction('block', live)).toBe('record');
    expect(livenessAction('block', null)).toBe('record');
  });
});
