/**
 * `npm run bench:upload [-- --photos 20]`: server time of a dashboard photo upload, as the photos
 * route spends it (web engine load on first use, then per photo: decode, quality gate, mirror-averaged
 * template, storage write, database rows), against a throwaway database and real lfw-dev photos.
 * Reports the engine load, the first upload after start (load + one photo) and warm uploads p50/p95.
 * HTTP and multipart parsing are not included (a few ms for a photo of ~20 kB).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { enrollStudentPhoto } from '@/lib/enrollment/enroll-photo';
import { machineDescription } from '@/scripts/eval-lib/evaluate';
import { getWebEngine } from '@/lib/face/web-engine';
import { makeStudent } from '@/test/factories';
import { lfwDevDir } from '@/test/fixtures/classroom-frames';
import { startBenchEnvironment } from './bench-env';

const { values } = parseArgs({ options: { photos: { type: 'string', default: '20' } } });
const count = Number(values.photos);

async function main(): Promise<void> {
  const lfw = lfwDevDir();
  if (!lfw) throw new Error('bench:upload needs ../shared/faces/lfw-dev');
  if (!(count > 0)) throw new Error('--photos must be a positive number');
  const bench = await startBenchEnvironment('upload');
  try {
    // One photo of each of `count + 1` people (different files, so none is a duplicate upload).
    const known = path.join(lfw, 'known');
    const files = readdirSync(known)
      .sort()
      .slice(0, count + 1)
      .map((p) => path.join(known, p, readdirSync(path.join(known, p)).sort()[0] as string));
    const student = await makeStudent({ name: 'Bench Student' });
    const upload = async (file: string) => {
      const t = performance.now();
      const engine = await getWebEngine();
      const outcome = await enrollStudentPhoto({
        studentId: student.studentId,
        bytes: readFileSync(file),
        filename: path.basename(file),
        engine,
      });
      return { ms: performance.now() - t, status: outcome.status };
    };
    const t0 = performance.now();
    await getWebEngine();
    const loadMs = performance.now() - t0;
    const first = await upload(files[0] as string);
    first.ms += loadMs;
    const warm: number[] = [];
    let accepted = first.status === 'accepted' ? 1 : 0;
    for (const file of files.slice(1)) {
      const r = await upload(file);
      warm.push(r.ms);
      if (r.status === 'accepted') accepted++;
    }
    warm.sort((a, b) => a - b);
    const q = (p: number) => (warm[Math.min(warm.length - 1, Math.floor(p * warm.length))] as number).toFixed(0);
    console.log(
      [
        `first upload after start   ${(first.ms / 1000).toFixed(2)} s (engine load ${(loadMs / 1000).toFixed(2)} s + 1 photo ${(first.ms - loadMs).toFixed(0)} ms, ${first.status}; ${((performance.now() - t0) / 1000).toFixed(1)} s for all ${files.length})`,
        `warm upload, per photo     p50 ${q(0.5)} ms, p95 ${q(0.95)} ms over ${warm.length} photos (${accepted} of ${files.length} accepted by the quality gate)`,
        `targets                    first ≤ 3 s, warm ≤ 300 ms per photo`,
        `machine                    ${machineDescription()}`,
      ].join('\n'),
    );
  } finally {
    await bench.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
