#!/usr/bin/env node
// `npm run setup [-- --demo | --no-demo]`: install, create + migrate the database, create the admin
// (and demo data if chosen: asked on a terminal, else none), build. Stops at the first failure.
// SKIP_INSTALL=1 skips `npm ci` (e.g. when node_modules is already current).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 9)) {
  console.error(`Node.js >= 20.9 is required (this is ${process.version}).`);
  process.exit(1);
}

function step(title, cmd, args) {
  console.log(`\n▶ ${title}`);
  const run = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (run.status !== 0) {
    console.error(`\nsetup stopped: "${title}" failed.`);
    process.exit(run.status || 1);
  }
}

function hasSecretIn(file) {
  return existsSync(file) && /^(AUTH_SECRET|NEXTAUTH_SECRET)=\S+/m.test(readFileSync(file, 'utf8'));
}

if (process.env.SKIP_INSTALL !== '1') step('Installing dependencies (npm ci)', 'npm', ['ci']);

// Sessions must survive restarts, so production needs a fixed secret; keep one in .env.local (git-ignored).
if (!process.env.AUTH_SECRET && !process.env.NEXTAUTH_SECRET && !hasSecretIn('.env.local') && !hasSecretIn('.env')) {
  appendFileSync('.env.local', `AUTH_SECRET=${randomBytes(32).toString('base64url')}\n`);
  console.log('\n▶ Wrote a new AUTH_SECRET to .env.local');
}

step('Creating the database if missing and applying migrations', 'npm', ['run', '--silent', 'db:migrate']);
// The admin account always; demo data only with --demo, or when asked on a terminal (--no-demo: never).
const demoFlag = process.argv.slice(2).find((a) => a === '--demo' || a === '--no-demo');
step('Creating the admin account (demo data only if chosen)', 'npm', [
  'run',
  '--silent',
  'db:seed',
  ...(demoFlag ? ['--', demoFlag] : []),
]);
step('Building the web app (next build)', 'npm', ['run', '--silent', 'build']);

console.log(
  `\nSetup complete. Start web + worker with:  npm start   (then open http://localhost:${process.env.PORT || 3000}/login)`,
);
