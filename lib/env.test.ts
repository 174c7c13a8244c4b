import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, applyLegacyNames, assertAuthSecret, loadEnv } from './env';
import {
  DEFAULT_DETECTOR,
  DEFAULT_EMBEDDER,
  DEFAULT_MATCHER,
  DETECTOR_NAMES,
  EMBEDDER_NAMES,
  MATCHER_KINDS,
} from './engine-names';

function errorOf(fn: () => unknown): EnvError {
  try {
    fn();
  } catch (err) {
    if (err instanceof EnvError) return err;
    throw err;
  }
  throw new Error('expected an EnvError');
}

describe('loadEnv', () => {
  it('has defaults that work with a local MariaDB', () => {
    const env = loadEnv({});
    expect(env.DATABASE_URL).toBe('mysql://root@127.0.0.1:3306/attendance');
    expect(env).toMatchObject({
      LOG_LEVEL: 'info',
      DB_POOL_SIZE: 10,
      PORT: 3000,
      WORKER_PORT: 9464,
      DATA_DIR: path.resolve('data'),
      MATCHER: 'embedding',
      MIN_MATCH_COUNT: 10,
      PUSH_MAX_BYTES: 2_000_000,
      PUSH_MAX_FPS: 5,
      ATTENDANCE_EARLY_MINUTES: 15,
      ATTENDANCE_LATE_MINUTES: 10,
      S3_FORCE_PATH_STYLE: false,
    });
    expect(env.MATCH_THRESHOLD).toBeUndefined();
    expect(env.authSecretGenerated).toBe(true);
    expect(env.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it('names the worker hostname:port and advertises a reachable URL; WORKER_URL only when set pins the hand-off', () => {
    const d = loadEnv({});
    expect(d).toMatchObject({
      WORKER_ID: `${os.hostname()}:9464`,
      WORKER_INTERNAL_URL: 'http://127.0.0.1:9464',
      LEASE_TTL_SECONDS: 15,
      WORKER_CAPACITY: 100,
      NOTIFY_CHECK_SECONDS: 30,
      workerUrlFixed: false,
    });
    expect(loadEnv({ WORKER_HOST: '0.0.0.0', WORKER_PORT: '9500' }).WORKER_INTERNAL_URL).toBe(
      `http://${os.hostname()}:9500`,
    );
    expect(loadEnv({ WORKER_URL: 'http://worker:9464/' })).toMatchObject({
      WORKER_URL: 'http://worker:9464',
      workerUrlFixed: true,
    });
    expect(errorOf(() => loadEnv({ LEASE_TTL_SECONDS: '1' })).message).toContain('LEASE_TTL_SECONDS');
    expect(errorOf(() => loadEnv({ WORKER_CAPACITY: '0' })).message).toContain('WORKER_CAPACITY');
  });

  it('resolves DATA_DIR to one absolute path, and refuses one inside the build output', () => {
    expect(loadEnv({ DATA_DIR: 'var/photos' }).DATA_DIR).toBe(path.resolve('var/photos'));
    expect(loadEnv({ DATA_DIR: '/srv/attendance' }).DATA_DIR).toBe('/srv/attendance');
    const err = errorOf(() => loadEnv({ DATA_DIR: '/app/.next/standalone/data' }));
    expect(err.message).toMatch(/DATA_DIR: is inside the build output \(\.next\)/);
  });

  it('coerces numbers and booleans', () => {
    const env = loadEnv({ DB_POOL_SIZE: '25', MATCH_THRESHOLD: '0.45', S3_FORCE_PATH_STYLE: 'true', PORT: '8080' });
    expect(env.DB_POOL_SIZE).toBe(25);
    expect(env.MATCH_THRESHOLD).toBe(0.45);
    expect(env.S3_FORCE_PATH_STYLE).toBe(true);
    expect(env.PORT).toBe(8080);
  });

  it.each([
    ['DB_POOL_SIZE', 'lots'],
    ['PORT', '70000'],
    ['MATCHER', 'sift'],
    ['DATABASE_URL', 'postgres://localhost/x'],
    ['LOG_LEVEL', 'loud'],
    ['CAMERA_URL', 'not a url'],
  ])('names the variable when %s=%s is wrong', (key, value) => {
    const err = errorOf(() => loadEnv({ [key]: value }));
    expect(err.message).toContain(`${key}:`);
    expect(err.issues).toHaveLength(1);
  });

  it("takes the engine's names and defaults from lib/engine-names.ts", () => {
    expect(loadEnv({})).toMatchObject({
      MATCHER: DEFAULT_MATCHER,
      FACE_EMBEDDER: DEFAULT_EMBEDDER,
      FACE_DETECTOR: DEFAULT_DETECTOR,
    });
    for (const [key, names] of [
      ['MATCHER', MATCHER_KINDS],
      ['FACE_EMBEDDER', EMBEDDER_NAMES],
      ['FACE_DETECTOR', DETECTOR_NAMES],
    ] as const) {
      for (const name of names) expect(loadEnv({ [key]: name })[key]).toBe(name);
      const err = errorOf(() => loadEnv({ [key]: 'retired-model' }));
      expect(err.message).toContain(`${key}:`);
      for (const name of names) expect(err.message).toContain(name);
    }
  });

  it('never echoes secrets in the message', () => {
    expect(errorOf(() => loadEnv({ AUTH_SECRET: 'short-secret' })).message).not.toContain('short-secret');
    const err = errorOf(() => loadEnv({ DATABASE_URL: 'postgres://u:hunter2@h/db' }));
    expect(err.message).toContain('DATABASE_URL:');
    expect(err.message).not.toContain('hunter2');
  });

  it('rejects unknown settings with a prefix we own (typos)', () => {
    const err = errorOf(() => loadEnv({ ATTENDANCE_LATE_MINUTE: '5' }));
    expect(err.message).toContain('ATTENDANCE_LATE_MINUTE: unknown setting');
  });

  it('requires AUTH_SECRET in production but not during next build', () => {
    const prod = { NODE_ENV: 'production' };
    expect(errorOf(() => assertAuthSecret(loadEnv(prod), prod)).message).toContain(
      'AUTH_SECRET: required in production',
    );
    const build = { NODE_ENV: 'production', NEXT_PHASE: 'phase-production-build' };
    expect(() => assertAuthSecret(loadEnv(build), build)).not.toThrow();
    expect(() => assertAuthSecret(loadEnv({}), {})).not.toThrow();
    const env = loadEnv({ NODE_ENV: 'production', NEXTAUTH_SECRET: 'x'.repeat(32) });
    expect(() => assertAuthSecret(env, {})).not.toThrow();
    expect(env.AUTH_SECRET).toBe('x'.repeat(32));
    expect(env.authSecretGenerated).toBe(false);
  });

  it('treats empty strings as unset', () => {
    expect(loadEnv({ CAMERA_URL: '', DB_POOL_SIZE: '' }).DB_POOL_SIZE).toBe(10);
  });
});

describe('legacy names', () => {
  it('builds DATABASE_URL from DB_HOST, DB_PORT, DB_USER, DB_PASS, DB_NAME', () => {
    const env = loadEnv({
      DB_HOST: 'db.internal',
      DB_PORT: '3307',
      DB_USER: 'att',
      DB_PASS: 'p@ss:word',
      DB_NAME: 'legacy_db',
    });
    expect(env.DATABASE_URL).toBe('mysql://att:p%40ss%3Aword@db.internal:3307/legacy_db');
    expect(new URL(env.DATABASE_URL).password).toBe('p%40ss%3Aword');
  });

  it('fills missing legacy parts with the defaults', () => {
    expect(loadEnv({ DB_NAME: 'other' }).DATABASE_URL).toBe('mysql://root@127.0.0.1:3306/other');
  });

  it('lets DATABASE_URL win over legacy names', () => {
    const { values, notes } = applyLegacyNames({ DATABASE_URL: 'mysql://a@b:1/c', DB_HOST: 'x' });
    expect(values.DATABASE_URL).toBe('mysql://a@b:1/c');
    expect(notes[0]).toContain('ignoring DB_HOST');
  });

  it('names DB_PORT when it is not a number', () => {
    expect(errorOf(() => loadEnv({ DB_PORT: 'abc' })).message).toContain('DB_PORT');
  });

  it('accepts CAMERA_URL and MIN_MATCH_COUNT as before, and Python log level names', () => {
    const env = loadEnv({ CAMERA_URL: 'http://192.168.1.50:81/stream', MIN_MATCH_COUNT: '15', LOG_LEVEL: 'WARNING' });
    expect(env.CAMERA_URL).toBe('http://192.168.1.50:81/stream');
    expect(env.MIN_MATCH_COUNT).toBe(15);
    expect(env.LOG_LEVEL).toBe('warn');
  });
});

describe('single sign-on settings', () => {
  const sso = { OIDC_ISSUER: 'https://idp.example/realms/x', OIDC_CLIENT_ID: 'id', OIDC_CLIENT_SECRET: 'shh-secret' };

  it('defaults: scopes "openid email profile", button "Campus", no role values, passwords for all', () => {
    expect(loadEnv(sso)).toMatchObject({
      OIDC_SCOPES: 'openid email profile',
      OIDC_NAME: 'Campus',
      OIDC_ADMIN_VALUES: [],
      OIDC_LECTURER_VALUES: [],
      LOCAL_PASSWORDS: 'all',
    });
  });

  it('splits the value lists on commas and normalises scope spacing', () => {
    const env = loadEnv({
      ...sso,
      OIDC_SCOPES: ' openid  email groups ',
      OIDC_ROLE_CLAIM: 'realm_access.roles',
      OIDC_ADMIN_VALUES: 'it-admins, ,it-admins',
      OIDC_LECTURER_VALUES: 'faculty,lecturers ',
    });
    expect(env.OIDC_SCOPES).toBe('openid email groups');
    expect(env.OIDC_ADMIN_VALUES).toEqual(['it-admins']);
    expect(env.OIDC_LECTURER_VALUES).toEqual(['faculty', 'lecturers']);
  });

  it('refuses half a configuration, scopes without openid, role values without a claim, and passwords off without OIDC', () => {
    const issues = (source: Record<string, string>) => errorOf(() => loadEnv(source)).issues.join('\n');
    expect(issues({ OIDC_ISSUER: sso.OIDC_ISSUER })).toContain('set all three or none');
    expect(issues({ ...sso, OIDC_SCOPES: 'email profile' })).toContain('OIDC_SCOPES: must include openid');
    expect(issues({ ...sso, OIDC_ADMIN_VALUES: 'x' })).toContain('OIDC_ROLE_CLAIM: required');
    expect(issues({ ...sso, OIDC_STUDENT_VALUES: 'students' })).toContain('OIDC_ROLE_CLAIM: required');
    expect(issues({ ...sso, OIDC_STUDENT_NUMBER_CLAIM: 'not a claim!' })).toContain('OIDC_STUDENT_NUMBER_CLAIM:');
    expect(issues({ LOCAL_PASSWORDS: 'admins' })).toContain('LOCAL_PASSWORDS');
    expect(issues({ ...sso, LOCAL_PASSWORDS: 'none' })).toContain('LOCAL_PASSWORDS');
    expect(issues({ ...sso, OIDC_ROLLE_CLAIM: 'groups' })).toContain('OIDC_ROLLE_CLAIM: unknown setting');
  });

  it('never shows the client secret in an error', () => {
    const err = errorOf(() => loadEnv({ ...sso, OIDC_CLIENT_SECRET: '  ' }));
    const line = err.issues.find((i) => i.startsWith('OIDC_CLIENT_SECRET:'));
    expect(line).toBeDefined();
    expect(line).not.toContain('(got');
  });
});
