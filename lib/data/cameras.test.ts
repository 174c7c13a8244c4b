import { afterEach, describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { isCameraOnline } from './cameras';

describe('camera online window', () => {
  afterEach(() => {
    delete process.env.CAMERA_OFFLINE_MINUTES;
    resetEnvCache();
  });

  const now = new Date('2027-02-03T09:00:00Z');
  const seen = (minutesAgo: number) => ({ lastSeenAt: new Date(now.getTime() - minutesAgo * 60_000) });

  it('is CAMERA_OFFLINE_MINUTES, the window after which the worker announces a camera offline', () => {
    resetEnvCache();
    expect(isCameraOnline(seen(4.9), now)).toBe(true);
    expect(isCameraOnline(seen(5.1), now)).toBe(false);
    process.env.CAMERA_OFFLINE_MINUTES = '10';
    resetEnvCache();
    expect(isCameraOnline(seen(9), now)).toBe(true);
    expect(isCameraOnline({ lastSeenAt: null }, now)).toBe(false);
  });
});
