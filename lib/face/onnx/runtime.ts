/**
 * ONNX Runtime (onnxruntime-node, native CPU) for the face models of faceplugin@1.0.3.
 *
 * The model files are put into models/faceplugin-1.0.3/ by scripts/fetch-models.mjs (postinstall)
 * and are checked against their pinned sha256 again when loaded, so a truncated or swapped file
 * fails loudly instead of giving quietly wrong embeddings. Sessions are loaded once per process or
 * worker thread and shared; `releaseOnnxSessions()` frees their native memory.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { sha256Hex } from '../../sha256';
import { findUp } from '../find-up';
import manifest from './models.json';

export { ort };

export type OnnxModelFile = keyof typeof manifest.files & `${string}.onnx`;

/** models/faceplugin-1.0.3 above the working directory or above this file. */
export function onnxModelDir(): string {
  const dir = findUp(manifest.dir, 'fr_feature.onnx');
  if (!dir)
    throw new Error(
      `Face models not found (${manifest.dir} above ${process.cwd()}); run \`npm run models\` (npm ci runs it too)`,
    );
  return dir;
}

/**
 * Threads per session. The pool runs one engine per core, each busy with its own frame, so one
 * intra-op thread per session is the fastest overall on a 2-core machine (bench: see README).
 * ONNX_THREADS raises it for a single-engine process (the CLI, `npm run eval`).
 */
export function onnxThreads(): number {
  const n = Number(process.env.ONNX_THREADS ?? '1');
  return Number.isInteger(n) && n > 0 ? n : 1;
}

/**
 * Graph optimization per model, measured (ms per run, one thread, 2-core Xeon with AVX-512):
 * fr_feature 21.6 at `extended` but 65.6 at `all` (the NCHWc layout transform slows this ResNet
 * 3×), while fr_detect (6.4 → 2.2) and fr_landmark (1.2 → 0.4) gain from `all`.
 */
const OPTIMIZATION: Partial<Record<OnnxModelFile, 'extended' | 'all'>> = { 'fr_feature.onnx': 'extended' };

const sessions = new Map<OnnxModelFile, Promise<ort.InferenceSession>>();

/** The shared session of one model file (created on first use, sha256 checked). */
export function onnxSession(file: OnnxModelFile): Promise<ort.InferenceSession> {
  let s = sessions.get(file);
  if (!s) {
    s = (async () => {
      const full = path.join(onnxModelDir(), file);
      const bytes = await readFile(full);
      const sha = sha256Hex(bytes);
      if (sha !== manifest.files[file])
        throw new Error(
          `${full} has sha256 ${sha}, expected ${manifest.files[file]}; run \`npm run models\` to restore it`,
        );
      return ort.InferenceSession.create(bytes, {
        executionProviders: ['cpu'],
        intraOpNumThreads: onnxThreads(),
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: OPTIMIZATION[file] ?? 'all',
      });
    })();
    s.catch(() => sessions.delete(file));
    sessions.set(file, s);
  }
  return s;
}

/** Frees the native memory of every loaded session; later calls load them again. */
export async function releaseOnnxSessions(): Promise<void> {
  const all = [...sessions.values()];
  sessions.clear();
  await Promise.all(all.map(async (s) => (await s.catch(() => null))?.release()));
}

/** Runs a single-input, single-output model on one float32 NCHW tensor. */
export async function runOnnx(
  session: ort.InferenceSession,
  data: Float32Array,
  dims: readonly number[],
): Promise<Record<string, Float32Array>> {
  const input = new ort.Tensor('float32', data, dims);
  const out = await session.run({ [session.inputNames[0]]: input });
  const result: Record<string, Float32Array> = {};
  for (const name of session.outputNames) {
    result[name] = out[name].data as Float32Array;
    out[name].dispose();
  }
  input.dispose();
  return result;
}
