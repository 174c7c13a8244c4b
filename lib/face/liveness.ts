/**
 * Liveness (presentation-attack detection) behind one small interface, like the detectors and
 * embedders: a score per face, "higher is more likely a live person", and the model's threshold.
 *
 * The shipped model is `fr_liveness.onnx` of faceplugin@1.0.3, a MiniFASNet-style network of the
 * Silent-Face-Anti-Spoofing family. Measured on the NUAA training split (`npm run eval:liveness`,
 * README model card): the model wants **BGR** input (RGB gives EER 11 %, BGR 0.17 %), the face box
 * scaled 2.7× and kept inside the frame, resized to 128×128, raw 0–255 values; class 0 of the
 * softmax is "live". The threshold is the model's own decision boundary, 0.5: live is more likely
 * than not. It was not tuned on the training split (whose EER threshold would be 0.31).
 */
import { warpToChip } from './align';
import { LIVENESS_THRESHOLD } from './config';
import { onnxSession, runOnnx, type ort } from './onnx/runtime';
import { softmax } from './softmax';
import manifest from './onnx/models.json';
import type { FaceBox, RgbImage } from './types';

export interface LivenessModel {
  /** name@version, as reported by eval:liveness and stored with decisions. */
  readonly id: string;
  /** A face is judged live when its score is at least this. */
  readonly threshold: number;
  /** Probability (0–1) that `box` in `image` shows a live face rather than a photo or a screen. */
  score(image: RgbImage, box: FaceBox): Promise<number>;
}

export { LIVENESS_THRESHOLD };

const INPUT = 128;
const BOX_SCALE = 2.7;

/**
 * The crop the model was trained on (Silent-Face's `CropImage`): the box scaled `scale`× about its
 * centre, scale lowered when the frame is too small for it, then shifted to lie inside the frame.
 */
export function livenessCrop(
  image: { width: number; height: number },
  box: FaceBox,
  scale = BOX_SCALE,
): { x: number; y: number; width: number; height: number } {
  const s = Math.min((image.height - 1) / box.height, (image.width - 1) / box.width, scale);
  const width = box.width * s,
    height = box.height * s;
  const cx = box.x + box.width / 2,
    cy = box.y + box.height / 2;
  const x = Math.max(0, Math.min(cx - width / 2, image.width - 1 - width));
  const y = Math.max(0, Math.min(cy - height / 2, image.height - 1 - height));
  return { x, y, width, height };
}

/** The model's input: the crop resized (bilinear) to 128×128, planar BGR, 0–255. */
export function livenessInput(image: RgbImage, box: FaceBox): Float32Array {
  const c = livenessCrop(image, box);
  const a = INPUT / c.width,
    e = INPUT / c.height;
  const chip = warpToChip(image, [a, 0, -c.x * a, 0, e, -c.y * e], INPUT, INPUT);
  const n = INPUT * INPUT;
  const out = new Float32Array(3 * n);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    out[i] = chip[j + 2];
    out[n + i] = chip[j + 1];
    out[2 * n + i] = chip[j];
  }
  return out;
}

/** Softmax probability of class 0 ("live") of the model's 3 outputs. */
export function liveProbability(logits: ArrayLike<number>): number {
  return softmax(logits)[0]!;
}

export class FacepluginLiveness implements LivenessModel {
  readonly id = `${manifest.package}-fr_liveness@${manifest.version}`;
  readonly threshold = LIVENESS_THRESHOLD;
  private constructor(private readonly session: ort.InferenceSession) {}

  static async load(): Promise<FacepluginLiveness> {
    return new FacepluginLiveness(await onnxSession('fr_liveness.onnx'));
  }

  async score(image: RgbImage, box: FaceBox): Promise<number> {
    const { output } = await runOnnx(this.session, livenessInput(image, box), [1, 3, INPUT, INPUT]);
    return liveProbability(output);
  }
}
