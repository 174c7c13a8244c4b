/** Runs the admin CLI (`tsx scripts/attendance.ts`) as a child process, as an operator would. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

export type CliRun = { code: number | null; stdout: string; stderr: string };

/** `stdin` is written to the CLI's standard input, which is then closed (as `printf … | npm run attendance`). */
export function runAttendanceCli(args: string[], env: Record<string, string>, stdin?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(REPO, 'node_modules/.bin/tsx'),
      ['--conditions=react-server', 'scripts/attendance.ts', ...args],
      {
        cwd: REPO,
        env: { ...process.env, NO_COLOR: '1', ...env },
        timeout: 120_000,
      },
    );
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined); // a command that exits without reading stdin
    child.stdin.end(stdin ?? '');
  });
}
