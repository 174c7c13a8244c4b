import pino, { type Logger } from 'pino';
import { redactCredentials } from '@/lib/camera/redact';
import { env } from '@/lib/env';

export type { Logger };

let root: Logger | undefined;

/**
 * The process-wide JSON logger (level from LOG_LEVEL). Pipe through `npx pino-pretty` to read locally.
 * Created lazily so importing this module never parses the environment.
 */
export function rootLogger(): Logger {
  root ??= pino(loggerOptions(env().LOG_LEVEL));
  return root;
}

export function loggerOptions(level: string): pino.LoggerOptions {
  return {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['password', '*.password', 'passwordHash', '*.passwordHash', 'token', '*.token'],
      censor: '[redacted]',
    },
    // Camera URLs with credentials must never reach a log line, whichever field (or error) they are in.
    hooks: { streamWrite: (line) => redactCredentials(line) },
  };
}

/** A child logger tagged with `module`, e.g. `createLogger('worker')`. */
export function createLogger(module: string, bindings: Record<string, unknown> = {}): Logger {
  return rootLogger().child({ module, ...bindings });
}
