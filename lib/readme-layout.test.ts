import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The README's code-layout table stays true: it names every folder of lib/. */
describe('README code layout', () => {
  it('lists every folder of lib/', () => {
    const readme = readFileSync(path.resolve('README.md'), 'utf8');
    const start = readme.indexOf('Code layout');
    const table = readme.slice(start, readme.indexOf('\n\n', readme.indexOf('| Path |', start)));
    const folders = readdirSync(path.resolve('lib'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(folders.length).toBeGreaterThan(10);
    expect(folders.filter((f) => !table.includes(`\`lib/${f}/\``))).toEqual([]);
  });
});
