/**
 * An enrolment photo as a classroom camera would see the same face: shrunk until the face is only
 * a few dozen pixels wide, then JPEG-compressed. A camera at 2–4 m sees a 20–40 px face, which the
 * embedder upsamples 3–5× onto its 112 px chip; the embedding of such a blurred face lands in a
 * different part of the space than the sharp enrolment photo's. Enrolling each photo also at these
 * sizes puts the student's template where their camera sightings land (resolution-matched
 * enrolment). What it bought is in README "Recognition", "Small faces".
 */
import sharp from 'sharp';
import type { DetectedFace, Point, RgbImage } from './types';

/** Face widths (detector box, px) an enrolment photo is also rendered at: ~2.5, ~3.3 and ~1.9 m at VGA. */
export const CLASSROOM_FACE_WIDTHS = [22, 30, 40] as const;

/** JPEG quality of a rendition: an ESP32-CAM stream's frames are compressed about this hard. */
const RENDITION_JPEG_QUALITY = 60;

/**
 * The picture scaled so that `face`'s box is `faceWidth` px wide, JPEG-compressed and decoded again,
 * with the face's box and landmarks scaled with it (the sharp photo's landmarks are the accurate ones).
 * Null when the face is not at least 1.25× that wide already: nothing to learn from a rendition that is
 * barely smaller than the photo.
 */
export async function classroomRendition(
  image: RgbImage,
  face: DetectedFace,
  faceWidth: number,
): Promise<{ image: RgbImage; face: DetectedFace } | null> {
  const scale = faceWidth / face.box.width;
  if (scale > 0.8) return null;
  const width = Math.max(8, Math.round(image.width * scale)),
    height = Math.max(8, Math.round(image.height * scale));
  const sx = width / image.width,
    sy = height / image.height;
  const { data, info } = await sharp(
    await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length), {
      raw: { width: image.width, height: image.height, channels: 3 },
    })
      .resize(width, height, { kernel: 'lanczos3' })
      .jpeg({ quality: RENDITION_JPEG_QUALITY })
      .toBuffer(),
  )
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const at = (p: Point): Point => [p[0] * sx, p[1] * sy];
  return {
    image: { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height },
    face: {
      ...face,
      box: { x: face.box.x * sx, y: face.box.y * sy, width: face.box.width * sx, height: face.box.height * sy },
      landmarks: face.landmarks.map(at) as DetectedFace['landmarks'],
      landmarks68: face.landmarks68?.map(at),
    },
  };
}
