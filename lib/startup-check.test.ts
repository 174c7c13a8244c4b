import { describe, expect, it } from 'vitest';
import { startupProblem, startupWarnings, workerStartupProblem } from './startup-check';

describe('web server start-up warnings', () => {
  it('warns in production when the public URL is plain http (except on this machine)', () => {
    expect(startupWarnings({ NODE_ENV: 'production', NEXTAUTH_URL: 'http://attendance.campus.edu' })).toEqual([
      expect.stringMatching(/NEXTAUTH_URL is http:\/\/attendance\.campus\.edu: .*https/),
    ]);
    expect(startupWarnings({ NODE_ENV: 'production', NEXTAUTH_URL: 'https://attendance.campus.edu' })).toEqual([]);
    expect(startupWarnings({ NODE_ENV: 'production', NEXTAUTH_URL: 'http://localhost:3000' })).toEqual([]);
    expect(startupWarnings({ NODE_ENV: 'development', NEXTAUTH_URL: 'http://attendance.campus.edu' })).toEqual([]);
  });
});

describe('web server start-up check', () => {
  it('refuses production without AUTH_SECRET, naming it and how to set it; development and builds are fine', () => {
    expect(startupProblem({ NODE_ENV: 'production' })).toMatch(
      /^Refusing to start: AUTH_SECRET: required in production .*npm run setup[^\n]*$/,
    );
    expect(startupProblem({ NODE_ENV: 'production', AUTH_SECRET: 'a-long-enough-secret-value' })).toBeNull();
    expect(startupProblem({ NODE_ENV: 'production', NEXTAUTH_SECRET: 'a-long-enough-secret-value' })).toBeNull();
    expect(startupProblem({ NODE_ENV: 'production', NEXT_PHASE: 'phase-production-build' })).toBeNull();
    expect(startupProblem({ NODE_ENV: 'development' })).toBeNull();
    expect(
      startupProblem({ NODE_ENV: 'production', AUTH_SECRET: 'a-long-enough-secret-value', DB_POOL_SIZE: 'lots' }),
    ).toMatch(/DB_POOL_SIZE/);
  });
});

describe('worker start-up check', () => {
  it('refuses production without AUTH_SECRET, unless INTERNAL_TOKEN is set (its only use in the worker)', () => {
    expect(workerStartupProblem({ NODE_ENV: 'production' })).toMatch(/^Refusing to start: AUTH_SECRET: required/);
    expect(workerStartupProblem({ NODE_ENV: 'production', AUTH_SECRET: 'a-long-enough-secret-value' })).toBeNull();
    expect(workerStartupProblem({ NODE_ENV: 'production', INTERNAL_TOKEN: 'a-shared-token' })).toBeNull();
    expect(workerStartupProblem({ NODE_ENV: 'test' })).toBeNull();
  });
});
