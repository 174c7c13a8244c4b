/**
 * What the Docker files must keep so that the image builds offline and compose works beside a local
 * database. Building and running them takes 10-20 minutes, so CI reads them instead; scripts/docker-check.sh
 * builds and runs them for real.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dockerfile = readFileSync('Dockerfile', 'utf8');
// Without its comment lines, which may quote what the file must not do.
const compose = readFileSync('docker-compose.yml', 'utf8').replace(/^\s*#.*\n/gm, '');
const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };

describe('Dockerfile', () => {
  it('has no `# syntax=` line (BuildKit would fetch that frontend image from Docker Hub, and fail offline)', () => {
    expect(dockerfile).not.toMatch(/^#\s*syntax\s*=/im);
  });

  it("copies the admin CLI's entry on purpose, the file `npm run attendance` runs", () => {
    expect(packageJson.scripts.attendance).toContain('scripts/attendance.ts');
    expect(dockerfile).toMatch(/^COPY --from=build .*\/app\/scripts\/attendance\.ts \.\/scripts\/$/m);
  });

  it('gives the app user a home of its own, not the root-owned /app', () => {
    const useradd = dockerfile.match(/useradd [^\n]*/)?.[0] ?? '';
    expect(useradd).toContain('--create-home');
    expect(useradd).toMatch(/--home-dir \/home\/app\b/);
  });
});

describe('docker-compose.yml', () => {
  it('requires no variable at parse time (`${X:?}` fails every command, `up -d mysql` too)', () => {
    expect(compose).not.toMatch(/\$\{[A-Z_]+:?\?/);
  });

  it("publishes MySQL on MYSQL_PORT (default 3306), so a local server's port can be avoided", () => {
    expect(compose).toContain("'127.0.0.1:${MYSQL_PORT:-3306}:3306'");
    expect(compose).not.toMatch(/['"]127\.0\.0\.1:3306:3306['"]/);
  });

  it("publishes the workers' port 9464 on a free loopback port, not a range (a re-created worker got the next one)", () => {
    expect(compose).toContain("'127.0.0.1::9464'");
    expect(compose).not.toMatch(/\d+-\d+:9464/);
  });
});
