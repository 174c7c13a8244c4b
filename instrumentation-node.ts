import { startupProblem, startupWarnings } from './lib/startup-check';

/** Warns about risky settings, and ends the process with one line when a setting is invalid. */
export function checkStartup(): void {
  for (const warning of startupWarnings(process.env)) console.warn(`Warning: ${warning}`);
  const problem = startupProblem(process.env);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
