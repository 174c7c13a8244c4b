#!/usr/bin/env node
// `npm start`: the web app (next start) and the recognition worker side by side.
// SIGTERM/SIGINT go to both; if either exits on its own, the other is stopped and we exit non-zero.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { childEnv } from './start-env.mjs';

const server = '.next/standalone/server.js';
if (!existsSync('.next/BUILD_ID') || !existsSync(server)) {
  console.error('No production build found. Run `npm run setup` (or `npm run build`) first.');
  process.exit(1);
}

// Settings from .env.local / .env reach both processes (variables already set win).
// Same rules as lib/env-files.ts; process.loadEnvFile would need Node 20.12.
for (const file of ['.env.local', '.env']) {
  if (!existsSync(file)) continue;
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || process.env[m[1]] !== undefined) continue;
    const v = m[2];
    const quoted = v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.endsWith(v[0]);
    process.env[m[1]] = quoted ? v.slice(1, -1) : v.replace(/\s+#.*$/, '');
  }
}

// The standalone server serves static assets only from its own folder (as in the Dockerfile).
cpSync('.next/static', '.next/standalone/.next/static', { recursive: true });
if (existsSync('public')) cpSync('public', '.next/standalone/public', { recursive: true });

const env = childEnv(process.env);
// The web server refuses to start without it too (instrumentation.ts); saying so here is quicker.
if (!env.AUTH_SECRET && !env.NEXTAUTH_SECRET) {
  console.error(
    'Refusing to start: AUTH_SECRET is not set; production needs it to sign sessions (`npm run setup` writes one to .env.local, or set AUTH_SECRET=$(openssl rand -base64 32))',
  );
  process.exit(1);
}
console.log(`web and worker share DATA_DIR=${env.DATA_DIR}`);
const children = new Map([
  ['web', spawn(process.execPath, [server], { stdio: 'inherit', env })],
  [
    'worker',
    spawn('node_modules/.bin/tsx', ['--conditions=react-server', 'workers/main.ts'], { stdio: 'inherit', env }),
  ],
]);

let stopping = false;
let exitCode = 0;

function stopAll(signal) {
  if (stopping) return;
  stopping = true;
  for (const child of children.values()) if (child.exitCode === null) child.kill(signal);
  // Anything still running after 15 s is killed so the container/system can move on.
  setTimeout(() => {
    for (const child of children.values()) if (child.exitCode === null) child.kill('SIGKILL');
  }, 15_000).unref();
}

for (const [name, child] of children) {
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.error(`[start] ${name} exited (${signal ?? code}); stopping the rest`);
      exitCode = code || 1;
      stopAll('SIGTERM');
    }
    if (children.size === 0) process.exit(exitCode);
  });
}

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'])
  process.on(signal, () => stopAll(signal === 'SIGHUP' ? 'SIGTERM' : signal));

// `npm start` does not pass SIGTERM on to us (npm exits at once); stop when our parent goes away.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stopAll('SIGTERM');
}, 500).unref();
console.log(`[start] web on http://localhost:${env.PORT}, worker metrics on :${process.env.WORKER_PORT || 9464}`);
