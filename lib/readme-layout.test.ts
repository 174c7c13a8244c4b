import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const readme = () => readFileSync(path.resolve('README.md'), 'utf8');

/** The README's code-layout table stays true: it names every folder of lib/. */
describe('README code layout', () => {
  it('lists every folder of lib/', () => {
    const text = readme();
    const start = text.indexOf('Code layout');
    const table = text.slice(start, text.indexOf('\n\n', text.indexOf('| Path |', start)));
    const folders = readdirSync(path.resolve('lib'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(folders.length).toBeGreaterThan(10);
    expect(folders.filter((f) => !table.includes(`\`lib/${f}/\``))).toEqual([]);
  });
});

/**
 * "Follow a frame" names the files of the camera → attendance path in order. A short name
 * (`engine-thread.ts`) is in the folder of the last full path before it, as the text reads.
 */
describe('README Follow a frame', () => {
  it('names only files that exist, and the frame pipeline and the wiring among them', () => {
    const text = readme();
    const start = text.indexOf('## Follow a frame');
    expect(start).toBeGreaterThan(0);
    const section = text.slice(start, text.indexOf('\n## ', start + 1));
    let folder = '';
    const files: string[] = [];
    for (const [, name] of section.matchAll(/`([\w./[\]-]+\.ts)`/g)) {
      const file = name!.includes('/') ? name! : path.join(folder, name!);
      folder = path.dirname(file);
      files.push(file);
    }
    expect(files.filter((f) => !existsSync(path.resolve(f)))).toEqual([]);
    expect(files).toContain('lib/recognition/frame-pipeline.ts');
    expect(files).toContain('workers/camera-pipeline.ts');
    expect(files.length).toBeGreaterThan(20);
  });
});
