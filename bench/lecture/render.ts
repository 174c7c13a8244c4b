/**
 * Renders one camera's lecture hall with ../shared/tools/lecture-hall.py: its truth and seat layout,
 * then one short clip per phase (the people present at that time; everyone else not yet walked in),
 * and a timeline directory of numbered links to those clips' frames that ffmpeg's image2 demuxer plays
 * from the start of the stream to its end, so that ffmpeg can copy the JPEGs without re-encoding.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { lfwDevDir } from '@/test/fixtures/classroom-frames';
import { arrivalSchedule, phasesOf, timelineFrame, type HallTruth, type Phase, type Seat } from './schedule';

const run = promisify(execFile);

export const SHARED = path.resolve(process.cwd(), '../shared');
export const HALL_SCRIPT = path.join(SHARED, 'tools/lecture-hall.py');
export const PYTHON = '/usr/bin/python3';

/**
 * What rendering a hall needs and this machine lacks, in words (the ../shared script, lfw-dev, Debian's
 * Pillow); null when all is here. The benches stop with it; the tests skip with it, or fail under CI=true.
 */
export function missingForHalls(): string | null {
  if (!existsSync(HALL_SCRIPT)) return `needs ${HALL_SCRIPT} (the ../shared checkout next to the repository)`;
  if (!lfwDevDir()) return 'needs ../shared/faces/lfw-dev (known/ and strangers/)';
  if (spawnSync(PYTHON, ['-c', 'import PIL'], { stdio: 'ignore' }).status !== 0)
    return `needs ${PYTHON} with Pillow to render the halls (Debian: apt-get install python3-pil)`;
  return null;
}

/**
 * Runs lecture-hall.py up to its frame loop (people, roster photos, seats, arrivals), writes its
 * truth.json with the script's own code, and then, for each phase of the plan on stdin, its frame loop
 * with only that phase's people walked in. `i` runs on across phases, so poses and lighting keep changing.
 */
const WRAPPER = `
import json, os, sys
script, dataset, out, mode = sys.argv[1:5]
plan = json.loads(sys.stdin.read() or 'null')
src = open(script).read()
loop_at, dump_at = src.find('\\nfor i in range(FRAMES):'), src.find('\\njson.dump(')
if loop_at < 0 or dump_at < loop_at:
    sys.exit('lecture-hall.py changed: no "for i in range(FRAMES):" loop before its "json.dump(" of the truth')
sys.argv = ['lecture-hall.py', dataset, out, mode]
g = {'__name__': 'lecture_hall'}
exec(compile(src[:loop_at], script, 'exec'), g)
if plan is None:
    exec(compile(src[dump_at:], script, 'exec'), g)
    seats = [{'name': n, 'row': r, 'x': x, 'y': y, 'w': w} for n, r, x, y, w in g['layout']]
    json.dump({'seats': seats, 'arrival': g['arrival'], 'frames': g['FRAMES']}, open(os.path.join(out, 'layout.json'), 'w'))
    sys.exit(0)
loop = compile(src[loop_at:dump_at].replace('range(FRAMES)', 'range(FIRST, FIRST + COUNT)', 1), script, 'exec')
names = list(g['arrival'])
for phase in plan:
    os.makedirs(phase['dir'], exist_ok=True)
    here = set(phase['present'])
    g.update(frames_dir=phase['dir'], FIRST=phase['first'], COUNT=phase['count'],
             arrival={n: (-1 if n in here else 1 << 30) for n in names})
    exec(loop, g)
`;

/** The dataset camera `index` draws its people from: camera 0 the whole of lfw-dev, others a seeded part of it. */
async function datasetFor(lfw: string, index: number, workDir: string): Promise<string> {
  if (index === 0) return lfw;
  const dir = path.join(workDir, 'dataset');
  let seed = index * 2654435761;
  const random = () => {
    // mulberry32: a small seeded generator, so camera i always gets the same hall
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (const group of ['known', 'strangers']) {
    await mkdir(path.join(dir, group), { recursive: true });
    // 60 % of each group: enough people for lecture-hall.py's picking rule in both modes.
    for (const name of readdirSync(path.join(lfw, group)).sort())
      if (random() < 0.6) await symlink(path.join(lfw, group, name), path.join(dir, group, name));
  }
  return dir;
}

export interface RenderedHall {
  index: number;
  truth: HallTruth;
  seats: Seat[];
  /** Seconds from the stream's start at which each present student and stranger appears. */
  schedule: Map<string, number>;
  phases: Phase[];
  /** roster/<Name>/ (3 enrolment photos each) of the present and absent students. */
  rosterDir: string;
  /** ffmpeg image2 pattern of the whole stream, one link per frame. */
  pattern: string;
  /** Frames in the timeline; the stream ends after them. */
  frames: number;
}

export interface HallOptions {
  lfw: string;
  mode: 'vga' | 'uxga';
  fps: number;
  /** Arrivals spread over the first this many seconds. */
  spreadSeconds: number;
  stepSeconds: number;
  /** How long the stream must last. */
  seconds: number;
  /** Distinct frames rendered per phase (the last phase, everyone in, gets three times as many). */
  clipFrames: number;
}

/** Renders camera `index`'s hall into `workDir` (which must not hold one yet). */
export async function renderHall(index: number, workDir: string, o: HallOptions): Promise<RenderedHall> {
  await mkdir(workDir, { recursive: true });
  const dataset = await datasetFor(o.lfw, index, workDir);
  const args = ['-c', WRAPPER, HALL_SCRIPT, dataset, workDir, o.mode];
  const python = (plan: unknown) => {
    const child = run(PYTHON, args, { maxBuffer: 16 * 2 ** 20 });
    child.child.stdin?.end(plan === null ? '' : JSON.stringify(plan));
    return child.catch((err: { stderr?: string; message: string }) => {
      throw new Error(`lecture-hall.py (camera ${index}, ${o.mode}) failed: ${err.stderr || err.message}`);
    });
  };
  await python(null);
  const truth = JSON.parse(readFileSync(path.join(workDir, 'truth.json'), 'utf8')) as HallTruth;
  const layout = JSON.parse(readFileSync(path.join(workDir, 'layout.json'), 'utf8')) as {
    seats: Seat[];
    arrival: Record<string, number>;
    frames: number;
  };
  // Cameras walk their people in at different moments within a step (3 s apart, wrapping round).
  const offsetSeconds = (index * 3) % o.stepSeconds;
  const schedule = arrivalSchedule(layout.arrival, layout.frames, { ...o, offsetSeconds });
  const phases = phasesOf(schedule);
  const clips = phases.map((_, p) => (p === phases.length - 1 ? 3 * o.clipFrames : o.clipFrames));
  let first = 0;
  const plan = phases.map((phase, p) => {
    const step = { dir: path.join(workDir, 'phases', String(p)), present: phase.present, first, count: clips[p] };
    first += clips[p]!;
    return step;
  });
  await python(plan);
  for (const step of plan)
    for (let f = 0; f < step.count; f++)
      if (!existsSync(path.join(step.dir, `${String(step.first + f).padStart(3, '0')}.jpg`)))
        throw new Error(`lecture-hall.py wrote no frame ${step.first + f} in ${step.dir}`);
  const frames = Math.ceil(o.seconds * o.fps);
  const timeline = path.join(workDir, 'timeline');
  await mkdir(timeline);
  for (let k = 0; k < frames; k++) {
    const [p, f] = timelineFrame(phases, clips, o.fps, k);
    const file = path.join(plan[p]!.dir, `${String(plan[p]!.first + f).padStart(3, '0')}.jpg`);
    await symlink(file, path.join(timeline, `${String(k).padStart(6, '0')}.jpg`));
  }
  return {
    index,
    truth,
    seats: layout.seats,
    schedule,
    phases,
    rosterDir: path.join(workDir, 'roster'),
    pattern: path.join(timeline, '%06d.jpg'),
    frames,
  };
}

/** Renders the halls of cameras `indices` with at most `parallel` Python processes at a time. */
export async function renderHalls(
  indices: number[],
  dirOf: (index: number) => string,
  o: HallOptions,
  parallel: number,
  onDone: () => void,
): Promise<RenderedHall[]> {
  const out: RenderedHall[] = new Array<RenderedHall>(indices.length);
  let next = 0;
  const worker = async () => {
    while (next < indices.length) {
      const k = next++;
      out[k] = await renderHall(indices[k]!, dirOf(indices[k]!), o);
      onDone();
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, indices.length) }, worker));
  return out;
}
