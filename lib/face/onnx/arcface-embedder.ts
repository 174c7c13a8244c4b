/**
 * The default embedder: faceplugin's `fr_feature.onnx`, an ArcFace-style 512-d face embedding.
 * Input: the face aligned onto the ArcFace 5-point template at 112×112, RGB, NCHW, (x − 127) / 128.
 * Output: 512 floats, L2-normalised here so that cosine similarity is a dot product.
 * Under-exposed faces (side light, dark rooms) are contrast-stretched first, on enrolment photos and
 * probes alike (illumination.ts).
 */
import { alignFace } from '../align';
import { embeddingToBytes, l2normalize } from '../embedding-bytes';
import { normalizeFaceIllumination } from '../illumination';
import type { DetectedFace, FaceEmbedder, FaceTemplate, RgbImage } from '../types';
import { onnxSession, runOnnx, type ort } from './runtime';

const SIZE = 112;
const DIMS = 512;

/** HWC 0..255 chip → NCHW (x − 127) / 128, optionally mirrored left ↔ right. */
export function chipToNchw(chip: Float32Array, size: number, mirror = false): Float32Array {
  const plane = size * size;
  const out = new Float32Array(3 * plane);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const src = (y * size + (mirror ? size - 1 - x : x)) * 3;
      const dst = y * size + x;
      out[dst] = (chip[src] - 127) / 128;
      out[plane + dst] = (chip[src + 1] - 127) / 128;
      out[2 * plane + dst] = (chip[src + 2] - 127) / 128;
    }
  }
  return out;
}

export type ArcFaceOptions = {
  /** Probes: also embed the mirror image and average (costs a second pass). */
  mirrorProbes?: boolean;
  /** Enrollment photos: also embed the mirror image and average. */
  mirrorEnrollment?: boolean;
};

export class ArcFaceEmbedder implements FaceEmbedder {
  private constructor(
    readonly model: string,
    readonly version: string,
    private readonly session: ort.InferenceSession,
    private readonly opts: Required<ArcFaceOptions>,
  ) {}

  static async load(identity: { model: string; version: string }, opts: ArcFaceOptions = {}): Promise<ArcFaceEmbedder> {
    return new ArcFaceEmbedder(identity.model, identity.version, await onnxSession('fr_feature.onnx'), {
      mirrorProbes: false,
      mirrorEnrollment: true,
      ...opts,
    });
  }

  private async run(input: Float32Array): Promise<Float32Array> {
    const out = Object.values(await runOnnx(this.session, input, [1, 3, SIZE, SIZE]))[0];
    if (out.length !== DIMS) throw new Error(`fr_feature returned ${out.length} values, expected ${DIMS}`);
    return l2normalize(Float32Array.from(out));
  }

  /** L2-normalised embedding of one face; with `mirror`, the mean of the face and its mirror image. */
  async embed(image: RgbImage, face: DetectedFace, mirror = false): Promise<Float32Array> {
    const chip = alignFace(image, face.landmarks, SIZE);
    normalizeFaceIllumination(chip, SIZE);
    const v = await this.run(chipToNchw(chip, SIZE));
    if (!mirror) return v;
    const m = await this.run(chipToNchw(chip, SIZE, true));
    for (let i = 0; i < DIMS; i++) v[i] += m[i];
    return l2normalize(v);
  }

  async extract(image: RgbImage, face: DetectedFace): Promise<FaceTemplate> {
    return {
      model: this.model,
      version: this.version,
      data: embeddingToBytes(await this.embed(image, face, this.opts.mirrorProbes)),
    };
  }

  async extractForEnrollment(image: RgbImage, face: DetectedFace): Promise<FaceTemplate> {
    return {
      model: this.model,
      version: this.version,
      data: embeddingToBytes(await this.embed(image, face, this.opts.mirrorEnrollment)),
    };
  }
}
