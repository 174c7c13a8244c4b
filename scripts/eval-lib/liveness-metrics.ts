/**
 * Presentation-attack figures (ISO/IEC 30107-3 names) for eval:liveness and the tests. Pure.
 * APCER: share of attack (spoof) presentations accepted as live. BPCER: share of live ("bona fide")
 * presentations rejected. A frame where no face was found has score null: it is rejected.
 */
export type LivenessSample = { label: 'live' | 'spoof'; score: number | null };

export type LivenessFigures = {
  live: number;
  spoof: number;
  no_face: number;
  apcer: number;
  bpcer: number;
  eer: number;
};

const accepted = (s: number | null, threshold: number) => s !== null && s >= threshold;

export function errorRates(samples: readonly LivenessSample[], threshold: number): { apcer: number; bpcer: number } {
  let spoof = 0,
    live = 0,
    falseAccept = 0,
    falseReject = 0;
  for (const s of samples) {
    if (s.label === 'spoof') {
      spoof += 1;
      if (accepted(s.score, threshold)) falseAccept += 1;
    } else {
      live += 1;
      if (!accepted(s.score, threshold)) falseReject += 1;
    }
  }
  return { apcer: spoof ? falseAccept / spoof : 0, bpcer: live ? falseReject / live : 0 };
}

/**
 * Equal error rate: the threshold is swept over every score; at the point where APCER and BPCER are
 * closest, their mean. (Null scores are rejected at every threshold.)
 */
export function equalErrorRate(samples: readonly LivenessSample[]): number {
  const thresholds = [...new Set(samples.map((s) => s.score).filter((s): s is number => s !== null))].sort(
    (a, b) => a - b,
  );
  thresholds.push(Infinity);
  let best = { gap: Infinity, eer: 1 };
  for (const t of thresholds) {
    const { apcer, bpcer } = errorRates(samples, t);
    const gap = Math.abs(apcer - bpcer);
    if (gap < best.gap) best = { gap, eer: (apcer + bpcer) / 2 };
  }
  return best.eer;
}

export function livenessFigures(samples: readonly LivenessSample[], threshold: number): LivenessFigures {
  return {
    live: samples.filter((s) => s.label === 'live').length,
    spoof: samples.filter((s) => s.label === 'spoof').length,
    no_face: samples.filter((s) => s.score === null).length,
    ...errorRates(samples, threshold),
    eer: equalErrorRate(samples),
  };
}

/**
 * The per-track view: each sequence (frames of one recording, in order) cut into windows of `size`
 * consecutive frames; a window's score is the mean score of its frames that had a face (the worker's
 * track vote, `trackLiveness`), null when none had. A shorter tail window is kept when it holds at
 * least half a window.
 */
export function windowSamples(sequences: ReadonlyArray<readonly LivenessSample[]>, size: number): LivenessSample[] {
  const out: LivenessSample[] = [];
  for (const seq of sequences) {
    for (let i = 0; i < seq.length; i += size) {
      const w = seq.slice(i, i + size);
      if (w.length < Math.ceil(size / 2)) break;
      out.push({ label: w[0]!.label, score: meanScore(w.map((s) => s.score)) });
    }
  }
  return out;
}

/** Mean of the scores that exist; null when there are none. */
export function meanScore(scores: ReadonlyArray<number | null>): number | null {
  let n = 0,
    sum = 0;
  for (const s of scores)
    if (s !== null) {
      n += 1;
      sum += s;
    }
  return n ? sum / n : null;
}

/** p50 / p95 of a list of durations (ms), rounded to 0.01 ms. */
export function percentiles(values: readonly number[]): { p50: number; p95: number } {
  if (values.length === 0) return { p50: 0, p95: 0 };
  const v = [...values].sort((a, b) => a - b);
  const at = (p: number) => Math.round(v[Math.min(v.length - 1, Math.ceil(p * v.length) - 1)]! * 100) / 100;
  return { p50: at(0.5), p95: at(0.95) };
}
