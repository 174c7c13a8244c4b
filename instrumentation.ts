/**
 * Runs once when the web server starts (`npm start`, `npm run start:web`, the Docker image): settings
 * are validated here, so a production server without AUTH_SECRET (or with any invalid setting)
 * refuses to start with one line naming the variable, instead of answering 500 on every page.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startupProblem, startupWarnings } = await import('./lib/startup-check');
  for (const warning of startupWarnings(process.env)) console.warn(`Warning: ${warning}`);
  const problem = startupProblem(process.env);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
