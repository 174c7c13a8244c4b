import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { childEnv } from './start-env.mjs';

describe('npm start environment', () => {
  it('gives web and worker one absolute DATA_DIR outside the build folder (default <repo>/data)', () => {
    expect(childEnv({}, '/srv/app').DATA_DIR).toBe('/srv/app/data');
    expect(childEnv({ DATA_DIR: './photos' }, '/srv/app').DATA_DIR).toBe('/srv/app/photos');
    expect(childEnv({ DATA_DIR: '/var/lib/attendance' }, '/srv/app').DATA_DIR).toBe('/var/lib/attendance');
    expect(childEnv({ PORT: '8080' }, '/srv/app')).toMatchObject({
      NODE_ENV: 'production',
      PORT: '8080',
      NEXTAUTH_URL: 'http://localhost:8080',
    });
  });
});
