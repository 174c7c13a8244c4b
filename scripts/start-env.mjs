// The environment `npm start` gives the web server and the worker. The standalone web server changes
// its working directory to .next/standalone, so a relative DATA_DIR would put the photos inside the
// build output (deleted by every rebuild) while the worker used ./data: DATA_DIR is made absolute
// here, once, for both (default <repo>/data).
import path from 'node:path';

export function childEnv(base, cwd = process.cwd()) {
  const port = base.PORT || '3000';
  return {
    ...base,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    PORT: port,
    HOSTNAME: base.HOSTNAME_BIND || '0.0.0.0',
    NEXTAUTH_URL: base.NEXTAUTH_URL || `http://localhost:${port}`,
    DATA_DIR: path.resolve(cwd, base.DATA_DIR || 'data'),
  };
}
