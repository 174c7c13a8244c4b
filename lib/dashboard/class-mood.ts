import type { MoodCounts, SessionMoodCounts } from '@/lib/data/session-mood';

/** Counts plus each mood's share of the sightings (0–1; all 0 when nothing was counted). */
export function moodShares(counts: SessionMoodCounts | null): {
  sightings: number;
  counts: SessionMoodCounts;
  shares: MoodCounts;
} {
  const c = counts ?? { happy: 0, neutral: 0, tired: 0, other: 0, eyesRead: 0 };
  const sightings = c.happy + c.neutral + c.tired + c.other;
  const share = (n: number) => (sightings === 0 ? 0 : n / sightings);
  return {
    sightings,
    counts: c,
    shares: { happy: share(c.happy), neutral: share(c.neutral), tired: share(c.tired), other: share(c.other) },
  };
}
