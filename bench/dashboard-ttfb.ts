/**
 * `npm run bench:dashboard:http`: real TTFB of the dashboard with 100,000 attendance rows — the
 * production build (`next build` into .next-e2e, reused with E2E_SKIP_BUILD=1) served by
 * `next start` against a throwaway database, signed in as the seeded admin. Reports time to the
 * response headers (TTFB) and to the last byte, median and p95 of 20 requests per page.
 */
import { createConnection } from 'mysql2/promise';
import { DEMO_ADMIN_EMAIL } from '@/db/seed';
import { startApp } from '@/test/e2e/server';
import { BENCH_COURSE_ID, LAST_SESSION_ID, seedAttendanceLoad } from './attendance-load';

const RUNS = 20;

async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const login = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
  });
  keep(login);
  if (![...cookies.keys()].some((k) => k.includes('session-token')))
    throw new Error(`sign-in failed (${login.status})`);
  return header();
}

async function measure(url: string, cookie: string): Promise<{ ttfb: number[]; total: number[]; status: number }> {
  const ttfb: number[] = [],
    total: number[] = [];
  let status = 0;
  for (let i = 0; i < RUNS + 2; i++) {
    const t = performance.now();
    const res = await fetch(url, { headers: { cookie } });
    const head = performance.now() - t;
    await res.arrayBuffer();
    status = res.status;
    if (i >= 2) {
      // the first two warm caches and compile nothing else
      ttfb.push(head);
      total.push(performance.now() - t);
    }
  }
  return { ttfb, total, status };
}

const pct = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(p * v.length))];

async function main() {
  const app = await startApp();
  try {
    const conn = await createConnection({ uri: process.env.DATABASE_URL!, multipleStatements: true });
    const t0 = performance.now();
    await seedAttendanceLoad(conn);
    await conn.end();
    console.log(`seeded 100,000 attendance rows in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${app.baseUrl}`);
    const cookie = await signIn(app.baseUrl, DEMO_ADMIN_EMAIL, app.passwords[DEMO_ADMIN_EMAIL]!);
    const pages: Record<string, string> = {
      'session page (500 attendances)': `/sessions/${LAST_SESSION_ID}`,
      'report page (1 course, 200 sessions, 100k rows)': `/reports?from=2025-01-01&to=2025-12-31&courseId=${BENCH_COURSE_ID}`,
      'report API JSON': `/api/reports?from=2025-01-01&to=2025-12-31&courseId=${BENCH_COURSE_ID}&format=json`,
      'report CSV export': `/api/reports?from=2025-01-01&to=2025-12-31&courseId=${BENCH_COURSE_ID}&format=csv`,
    };
    for (const [name, path] of Object.entries(pages)) {
      const r = await measure(app.baseUrl + path, cookie);
      console.log(
        `${name.padEnd(48)} HTTP ${r.status}  TTFB p50 ${pct(r.ttfb, 0.5).toFixed(0)} ms, p95 ${pct(r.ttfb, 0.95).toFixed(0)} ms;` +
          `  complete p50 ${pct(r.total, 0.5).toFixed(0)} ms  ${pct(r.ttfb, 0.5) <= 200 ? 'ok (≤ 200 ms)' : 'SLOW'}`,
      );
    }
  } finally {
    await app.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
