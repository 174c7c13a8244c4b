/**
 * Admin CLI: `npm run attendance -- <command> [options] [--json]` (see lib/admin-cli/args.ts for the
 * command table). With --json, stdout carries exactly one JSON value — the result, or
 * `{"error":{"code","message"}}` — and everything else goes to stderr.
 */
import { closeDb } from '@/db/client';
import { parseCliArgs, usage } from '@/lib/admin-cli/args';
import { describeCliError } from '@/lib/admin-cli/cli-errors';
import { runCommand } from '@/lib/admin-cli/commands';
import { env } from '@/lib/env';

const argv = process.argv.slice(2);
const json = argv.includes('--json');

// Logs and library chatter (model loading) must never mix with the result on stdout.
process.env.LOG_LEVEL ??= 'error'; // pino writes to stdout; retry warnings would break --json
for (const level of ['log', 'info', 'debug', 'warn'] as const)
  console[level] = (...args: unknown[]) => console.error(...args);

function finish(stdout: string, exitCode: number): void {
  process.exitCode = exitCode;
  const exit = () => void closeDb().finally(() => process.exit(exitCode));
  if (stdout) process.stdout.write(`${stdout}\n`, exit);
  else exit();
}

async function main(): Promise<void> {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(`${usage()}\n`);
    return finish('', argv.length === 0 ? 2 : 0);
  }
  try {
    const cmd = parseCliArgs(argv);
    const result = await runCommand(cmd);
    finish(cmd.json ? JSON.stringify(result.json, null, 2) : result.text, 0);
  } catch (err) {
    const failure = describeCliError(err, () => env().DATABASE_URL);
    if (!failure) {
      process.stderr.write(`attendance: unexpected error\n${(err as Error)?.stack ?? String(err)}\n`);
      return finish(
        json ? JSON.stringify({ error: { code: 'INTERNAL', message: String((err as Error)?.message ?? err) } }) : '',
        1,
      );
    }
    process.stderr.write(`attendance: ${failure.message}\n`);
    finish(json ? JSON.stringify({ error: { code: failure.code, message: failure.message } }) : '', failure.exitCode);
  }
}

void main();
