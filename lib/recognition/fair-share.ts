/**
 * Cameras this worker should hold: the cameras spread over the live workers so that counts differ
 * by at most one, except that a worker never gets more than its capacity (the effective capacity
 * each one heartbeats): what it cannot take is spread over the others. The workers that already
 * hold the most keep the extra cameras (fewest moves). Cameras beyond every worker's capacity are
 * still spread the same way, up to each one's hard cap (`me.maxCapacity`): a camera served by a
 * busy worker beats a camera nobody serves.
 */
export function fairShare(
  me: { workerId: string; capacity: number; maxCapacity?: number },
  live: ReadonlyArray<{ workerId: string; capacity: number }>,
  counts: ReadonlyMap<string, number>,
  cameras: number,
): number {
  const caps = new Map(live.map((w) => [w.workerId, w.capacity]));
  caps.set(me.workerId, me.capacity);
  const ids = [...caps.keys()].sort(
    (a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const even = (n: number, among: string[]) => {
    const base = Math.floor(n / among.length);
    return new Map(among.map((id, i) => [id, base + (i < n % among.length ? 1 : 0)]));
  };
  // Water-filling: a worker whose even part exceeds its capacity takes its capacity; the rest share what is left.
  const share = new Map<string, number>();
  let open = ids;
  let left = cameras;
  while (open.length > 0) {
    const parts = even(left, open);
    const full = open.filter((id) => parts.get(id)! > caps.get(id)!);
    if (full.length === 0) {
      for (const [id, n] of parts) share.set(id, n);
      left = 0;
      break;
    }
    for (const id of full) {
      share.set(id, caps.get(id)!);
      left -= caps.get(id)!;
    }
    open = open.filter((id) => !full.includes(id));
  }
  const mine = share.get(me.workerId) ?? 0;
  if (left <= 0) return mine;
  return Math.max(mine, Math.min(me.maxCapacity ?? me.capacity, mine + even(left, ids).get(me.workerId)!));
}
