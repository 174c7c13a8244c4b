/**
 * Runs once when the web server starts (`npm start`, `npm run start:web`, the Docker image): settings
 * are validated here, so a production server without AUTH_SECRET (or with any invalid setting)
 * refuses to start with one line naming the variable, instead of answering 500 on every page.
 * Next also compiles this file for the Edge runtime; the Node-only check sits behind the documented
 * `NEXT_RUNTIME === 'nodejs'` import so that build carries no process.exit.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { checkStartup } = await import('./instrumentation-node');
    checkStartup();
    // The sign-in limit's client IP: every request's socket address, appended to X-Forwarded-For.
    const { appendSocketAddress } = await import('./lib/auth/client-ip');
    appendSocketAddress();
  }
}
