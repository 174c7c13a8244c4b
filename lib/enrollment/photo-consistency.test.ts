import { describe, expect, it } from 'vitest';
import { embeddingToBytes, l2normalize } from '@/lib/face/embedding-bytes';
import { ARCFACE_IDENTITY, currentEngineIdentity } from '@/lib/face/engine-identity';
import { findDisagreeingPhotos, PHOTO_CONSISTENCY_THRESHOLDS, photoWarningMessage } from './photo-consistency';

/** A stored template: the normalised vector as little-endian float32 bytes. */
const template = (photoId: string, v: number[]) => ({
  photoId,
  data: embeddingToBytes(l2normalize(Float32Array.from(v))),
});
const T = 0.25;

// Three looks of one face (pairwise cosine ≈ 0.8) and a different face (cosine ≈ 0 with them).
const a1 = template('a1', [1, 0.5, 0, 0]);
const a2 = template('a2', [1, -0.5, 0, 0]);
const a3 = template('a3', [1, 0, 0.5, 0]);
const a4 = template('a4', [1, 0, -0.5, 0]);
const b = template('b', [0, 0, 0, 1]);

describe('findDisagreeingPhotos', () => {
  it('has nothing to say about no photo or a single one', () => {
    expect(findDisagreeingPhotos([], T).size).toBe(0);
    expect(findDisagreeingPhotos([b], T).size).toBe(0);
  });

  it('with two photos that disagree flags both, each naming the other: which one is wrong cannot be told', () => {
    expect(findDisagreeingPhotos([a1, a2], T).size).toBe(0);
    const w = findDisagreeingPhotos([a1, b], T);
    expect(Object.fromEntries(w)).toEqual({
      a1: { code: 'unlike-other-photo', similarity: 0, otherPhotoId: 'b' },
      b: { code: 'unlike-other-photo', similarity: 0, otherPhotoId: 'a1' },
    });
  });

  it('with three or more flags only the photo far from the mean of the others', () => {
    const w = findDisagreeingPhotos([a1, a2, b, a3], T);
    expect([...w.keys()]).toEqual(['b']);
    expect(w.get('b')).toEqual({ code: 'unlike-other-photos', similarity: expect.closeTo(0, 6) });
    expect(findDisagreeingPhotos([a1, a2, a3, a4], T).size).toBe(0);
  });

  it('scores a photo against the normalised mean of the others (leave one out)', () => {
    // a3 against mean(a1, a2) = (1, 0, 0, 0): cosine is a3's first coordinate, 1/√1.25.
    const w = findDisagreeingPhotos([a1, a2, a3], 0.95);
    expect(w.get('a3')?.similarity).toBeCloseTo(1 / Math.sqrt(1.25), 5);
  });

  it('refuses templates of different lengths', () => {
    expect(() => findDisagreeingPhotos([a1, template('x', [1, 0])], T)).toThrow(/different lengths/);
  });
});

describe('the threshold and the words', () => {
  it('is measured for the ArcFace model only', () => {
    expect(PHOTO_CONSISTENCY_THRESHOLDS[ARCFACE_IDENTITY.model]).toBe(0.25);
    expect(PHOTO_CONSISTENCY_THRESHOLDS[currentEngineIdentity('keypoints').model]).toBeUndefined();
  });

  it('says what is wrong and what to do, naming the student', () => {
    expect(photoWarningMessage('en', { code: 'unlike-other-photos', similarity: 0.2149 }, 'Al Gore')).toBe(
      "This photo does not look like the student's other photos (similarity 0.21). Check that it shows Al Gore, facing the camera; delete it if not.",
    );
    expect(
      photoWarningMessage('en', { code: 'unlike-other-photo', similarity: 0.05, otherPhotoId: 'x' }, 'Al Gore'),
    ).toBe(
      "These two photos don't look like the same person (similarity 0.05). Check that both show Al Gore, facing the camera, and delete the one that does not.",
    );
    expect(photoWarningMessage('id', { code: 'unlike-other-photos', similarity: 0.1 }, 'Budi')).toMatch(
      /^Foto ini tidak mirip .* \(kemiripan 0\.10\)\. Pastikan foto ini menampilkan Budi/,
    );
  });
});
