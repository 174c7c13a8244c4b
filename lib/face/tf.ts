/**
 * TensorFlow.js (core + graph-model converter) on the WASM backend, for the models that are still tfjs:
 * class mood's `emotion` and the legacy embedders (mobileface, faceres). Only those modules import this
 * file, and only through `import()` when one of them is loaded, so an engine without class mood or a
 * legacy embedder (the web process, the default worker) never loads TensorFlow.js.
 * (@tensorflow/tfjs-node would download libtensorflow at install time, which fails offline.)
 *
 * The weights are put into models/human-models-3.0.4/ by scripts/fetch-models.mjs (postinstall) and
 * are checked against their pinned sha256 again when loaded (lib/face/onnx/models.json, `tfjs`).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel as loadTfGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { sha256Hex } from '../sha256';
import { findUp } from './find-up';
import manifest from './onnx/models.json';

export { tf, type GraphModel };

export type TfModelName = 'emotion' | 'mobileface' | 'faceres';
type TfModelFile = keyof typeof manifest.tfjs.files;

let ready: Promise<void> | null = null;

/** Selects the WASM backend once per process (or worker thread). */
export function initTf(): Promise<void> {
  ready ??= (async () => {
    const wasmDir = path.join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist') + path.sep;
    setWasmPaths(wasmDir);
    if (!(await tf.setBackend('wasm'))) throw new Error('TensorFlow.js WASM backend failed to start');
    await tf.ready();
  })();
  return ready;
}

/** Folder of a package's files on disk: the nearest node_modules/<name>. */
function packageDir(name: string): string {
  const dir = findUp(path.join('node_modules', name), 'package.json');
  if (!dir)
    throw new Error(
      `Package ${name} is not installed (looked for node_modules/${name} above ${process.cwd()}); run npm ci`,
    );
  return dir;
}

/** models/human-models-3.0.4 above the working directory or above this file. */
function tfModelDir(): string {
  const dir = findUp(manifest.tfjs.dir, 'emotion.json');
  if (!dir)
    throw new Error(
      `Face models not found (${manifest.tfjs.dir} above ${process.cwd()}); run \`npm run models\` (npm ci runs it too)`,
    );
  return dir;
}

/** A file of the tfjs weights, sha256 checked (a truncated or swapped file fails loudly). */
async function readChecked(dir: string, file: string): Promise<Buffer> {
  const full = path.join(dir, file);
  const bytes = await readFile(full);
  const want = manifest.tfjs.files[file as TfModelFile] as string | undefined;
  const sha = sha256Hex(bytes);
  if (sha !== want)
    throw new Error(
      `${full} has sha256 ${sha}, expected ${want ?? 'a file listed in models.json'}; run \`npm run models\``,
    );
  return bytes;
}

type ModelJson = {
  modelTopology: object;
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
};

/** Loads one of the tfjs graph models (model.json + shards) of models/human-models-3.0.4. */
export async function loadGraphModel(name: TfModelName): Promise<GraphModel> {
  await initTf();
  const dir = tfModelDir();
  const json = JSON.parse((await readChecked(dir, `${name}.json`)).toString('utf8')) as ModelJson;
  const shards = await Promise.all(json.weightsManifest.flatMap((g) => g.paths).map((p) => readChecked(dir, p)));
  const weights = Buffer.concat(shards);
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return loadTfGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData,
    }),
  );
}
