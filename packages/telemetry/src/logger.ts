// Structured logs for every process: pino, to stderr (stdout belongs to command output such as
// `-o json`), with secrets redacted; callers derive one child logger per workflow or node.
import { destination, pino, type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: string;
}

const REDACT = [
  'password',
  'token',
  'secret',
  '*.password',
  '*.token',
  '*.secret',
  '*.authorization',
  'headers.authorization',
  'redisUrl',
  'container.env',
  'job.container.env',
];

export function createLogger(name: string, options: LoggerOptions = {}): Logger {
  return pino(
    { name, level: options.level ?? 'info', redact: { paths: REDACT, censor: '[redacted]' } },
    destination({ dest: 2, sync: false }),
  );
}

/** Strips credentials from a Redis URL before it is shown anywhere. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = 'redacted';
    return parsed.toString();
  } catch {
    return '[unparseable url]';
  }
}
