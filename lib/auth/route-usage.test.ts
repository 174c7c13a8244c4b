import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every API handler goes through route(): a typed user, zod-parsed params and query — no `user!`, no `String(params.…)`. */
describe('API handlers', () => {
  const files = (readdirSync(path.resolve('app/api'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('route.ts'))
    .map((f) => path.join('app/api', f));

  it('use route() and its parsed params, user and query', () => {
    expect(files.length).toBeGreaterThan(40);
    const offences = files.flatMap((f) => {
      const src = readFileSync(f, 'utf8');
      return [
        ...(/\buser!/.test(src) ? [`${f}: user!`] : []),
        ...(/String\(params\./.test(src) ? [`${f}: String(params.…)`] : []),
        ...(/parseQuery\(/.test(src) ? [`${f}: parseQuery (use route's query option)`] : []),
        ...(/assertCourseAccess\(/.test(src)
          ? [`${f}: assertCourseAccess (use courseWithAccess or sessionWithCourseAccess)`]
          : []),
        ...(/export (async )?function (GET|POST|PATCH|PUT|DELETE)\b/.test(src)
          ? [`${f}: a handler outside route()`]
          : []),
      ];
    });
    expect(offences).toEqual([]);
  });
});
