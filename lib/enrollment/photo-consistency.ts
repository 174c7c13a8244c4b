/**
 * Does an enrolment photo look like the student's other photos? A photo of someone else, or one the
 * aligner got wrong, drags the student's mean template (the gallery's identity, embedding-matcher.ts)
 * towards other people's faces and makes the student a "hub" that attracts wrong matches. Such a photo
 * is still stored (it may be the only good one); it is flagged so an admin can check it.
 *
 * Pure: templates in, one warning per disagreeing photo out. Computed from the stored templates each
 * time the photos are listed, so the flag stays true after a photo is added or deleted.
 *   1 photo: nothing to compare, no warning.
 *   2 photos: cosine between them; below the threshold both are flagged ("these two don't look like
 *     the same person"): with two you cannot tell which one is wrong.
 *   3 or more: each photo against the normalised mean of the others (leave one out); below the
 *     threshold that photo is flagged.
 */
import { bytesToEmbedding } from '@/lib/face/embedding-bytes';
import { ARCFACE_DIMS, ARCFACE_IDENTITY } from '@/lib/face/engine-identity';
import { formatMessage, type Lang } from '@/lib/i18n/dictionary';

/**
 * Cosine below which a photo disagrees, per embedding model; a model without an entry is not checked
 * (keypoint templates are not vectors, and the older tfjs nets were not measured).
 *
 * Rule: the highest 0.05 step at which at most 1 % of genuine photos are flagged in every case the
 * rule applies to. Measured on lfw-dev known/ (297 people, 2,636 photos the quality gate accepts,
 * enrolment templates of arcface-fr_feature version 1, i.e. the sharp part of today's templates): one photo against the mean of k other
 * photos of the same person (genuine) or of another person (impostor, 5 per photo). At 0.25:
 *   pair (k = 1):      genuine flagged 0.91 %, impostor flagged 98.9 %  (0.30 would flag 1.40 %)
 *   k = 2 / 3 / 4:     genuine flagged 0.30 / 0.19 / 0.12 %, impostor flagged 98.7 / 98.6 / 98.6 %
 *   k = all others:    genuine flagged 0.11 %, impostor flagged 98.5 %
 * With one wrong photo already among the others, genuine photos are flagged 3.3 % (3 photos) and
 * 0.4 % (4 photos) of the time. The lowest genuine score (0.006) is LFW's mislabelled
 * Michael_Schumacher_0008, which this flag is meant to catch.
 */
export const PHOTO_CONSISTENCY_THRESHOLDS: Readonly<Record<string, number>> = {
  [ARCFACE_IDENTITY.model]: 0.25,
};

/** One stored template of an enrolment photo (all of one student, one model and version). */
export interface PhotoTemplate {
  photoId: string;
  /** Little-endian float32, L2-normalised (embedding-bytes.ts). */
  data: Uint8Array;
}

export type PhotoWarning =
  /** 3 or more photos: this one is far from the mean of the others. */
  | { code: 'unlike-other-photos'; similarity: number }
  /** Exactly 2 photos and they disagree: both carry this, each naming the other. */
  | { code: 'unlike-other-photo'; similarity: number; otherPhotoId: string };

/** A warning with the sentence the admin reads (photoWarningMessage), as the API answers it. */
export type PhotoWarningWithMessage = PhotoWarning & { message: string };

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

const sharpPart = (v: Float32Array) => (v.length === 2 * ARCFACE_DIMS ? v.subarray(0, ARCFACE_DIMS) : v);

/** Each disagreeing photo's warning, by photo id; photos that agree are absent. */
export function findDisagreeingPhotos(
  templates: readonly PhotoTemplate[],
  threshold: number,
): Map<string, PhotoWarning> {
  const out = new Map<string, PhotoWarning>();
  // Dual templates ([sharp | classroom], embedding-matcher.ts) are compared on their sharp part: the
  // threshold was measured on sharp templates, and the photos are sharp.
  const vs = templates.map((t) => sharpPart(bytesToEmbedding(t.data)));
  if (vs.some((v) => v.length !== vs[0]!.length)) throw new Error('Templates of different lengths cannot be compared');
  if (templates.length === 2) {
    const similarity = dot(vs[0]!, vs[1]!);
    if (similarity < threshold) {
      const [a, b] = templates as [PhotoTemplate, PhotoTemplate];
      out.set(a.photoId, { code: 'unlike-other-photo', similarity, otherPhotoId: b.photoId });
      out.set(b.photoId, { code: 'unlike-other-photo', similarity, otherPhotoId: a.photoId });
    }
    return out;
  }
  if (templates.length < 3) return out;
  const sum = new Float32Array(vs[0]!.length);
  for (const v of vs) for (let i = 0; i < v.length; i++) sum[i] += v[i]!;
  templates.forEach((t, k) => {
    const v = vs[k]!;
    const others = sum.map((s, i) => s - v[i]!);
    const norm = Math.sqrt(dot(others, others)) || 1;
    const similarity = dot(v, others) / norm;
    if (similarity < threshold) out.set(t.photoId, { code: 'unlike-other-photos', similarity });
  });
  return out;
}

/** The warning as the admin reads it, naming the student. */
export function photoWarningMessage(lang: Lang, warning: PhotoWarning, studentName: string): string {
  return formatMessage(
    lang,
    warning.code === 'unlike-other-photos' ? 'students.photoUnlikeOthers' : 'students.photoUnlikeOther',
    { name: studentName, similarity: warning.similarity.toFixed(2) },
  );
}
