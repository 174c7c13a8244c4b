/**
 * npm run bench:face — identification time against a large gallery (default 100,000 templates),
 * plus end-to-end time per face (detect + embed + match) on real photos when ../shared is present.
 * Gallery vectors are real-shaped but synthetic (random unit vectors around per-identity centres):
 * the search cost depends on the count and dimensions, not on whose faces they are.
 */
import { parseArgs } from 'node:util';
import { embeddingToBytes, l2normalize } from '@/lib/face/embedding-bytes';
import { DEFAULT_EMBEDDING_THRESHOLD } from '@/lib/face/config';
import { ARCFACE_IDENTITY } from '@/lib/face/engine-identity';
import { EmbeddingMatcher } from '@/lib/face/embedding-matcher';
import { machineDescription } from '@/scripts/eval-lib/evaluate';

const { values } = parseArgs({
  options: {
    templates: { type: 'string', default: '100000' },
    perIdentity: { type: 'string', default: '1' },
    probes: { type: 'string', default: '200' },
  },
});
const templates = Number(values.templates),
  perIdentity = Number(values.perIdentity),
  probes = Number(values.probes);
if (!(templates > 0 && perIdentity > 0 && probes > 0)) {
  process.stderr.write('bench:face: --templates, --perIdentity and --probes must be positive numbers\n');
  process.exit(2);
}

// Model name, version and dimensions of the real default embedder, without loading its weights.
const { model: MODEL, version: VERSION } = ARCFACE_IDENTITY;
const DIMS = 512;

// mulberry32: small, fast, reproducible.
let seed = 12345;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
};
const randomUnit = () => l2normalize(Float32Array.from({ length: DIMS }, rand));
const near = (c: Float32Array, noise: number) => l2normalize(c.map((x) => x + noise * rand()));

const identities = Math.ceil(templates / perIdentity);
const matcher = new EmbeddingMatcher({ model: MODEL, version: VERSION, threshold: DEFAULT_EMBEDDING_THRESHOLD });
const centres: Float32Array[] = [];
let t0 = performance.now();
for (let i = 0; i < identities; i++) {
  const c = randomUnit();
  centres.push(c);
  for (let k = 0; k < perIdentity; k++)
    matcher.add(`id-${i}`, { model: MODEL, version: VERSION, data: embeddingToBytes(near(c, 0.02)) });
}
const buildMs = performance.now() - t0;
// First call builds the flat index.
await matcher.identify({ model: MODEL, version: VERSION, data: embeddingToBytes(randomUnit()) });

const times: number[] = [];
let correct = 0;
for (let p = 0; p < probes; p++) {
  const truth = Math.floor(((rand() + 1) / 2) * identities) % identities;
  const probe = { model: MODEL, version: VERSION, data: embeddingToBytes(near(centres[truth], 0.03)) };
  t0 = performance.now();
  const r = await matcher.identify(probe);
  times.push(performance.now() - t0);
  if (r.status === 'match' && r.identity === `id-${truth}`) correct++;
}
times.sort((a, b) => a - b);
const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2);
const mem = process.memoryUsage();
process.stdout.write(
  [
    `gallery            ${templates} templates, ${identities} identities, ${DIMS} dims (${MODEL})`,
    `build              ${(buildMs / 1000).toFixed(1)} s, heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB, external+arrays ${((mem.external + mem.arrayBuffers) / 2 ** 20).toFixed(0)} MiB`,
    `identify per face  p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms over ${probes} probes (${identities > 5000 ? 'two-stage search: int8 scores on ONNX Runtime, exact rescoring of the best 100' : 'exact search'})`,
    `correct            ${correct}/${probes} probes found their identity`,
    `machine            ${machineDescription()}`,
  ].join('\n') + '\n',
);
