// Structured logs for every process: pino, to stderr (stdout belongs to command output such as
// `-o json`), with secrets redacted; callers derive one child logger per workflow or node.
import { destination, pino, type DestinationStream, type Logger } from 'pino';

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
  // A Redis URL may carry its password; ioredis puts a failed command's arguments on its error (AUTH's too).
  'redisUrl',
  '*.redisUrl',
  'err.command.args',
  '*.err.command.args',
  'container.env',
  'job.container.env',
  // A Secret's values and an HTTP template's headers (tokens, whether written or read from a Secret).
  'stringData',
  '*.stringData',
  'http.headers',
  'job.http.headers',
];

export function createLogger(name: string, options: LoggerOptions = {}, stream: DestinationStream = destination({ dest: 2, sync: false })): Logger {
  return pino({ name, level: options.level ?? 'info', redact: { paths: REDACT, censor: '[redacted]' } }, stream);
}

/**
 * A URL as it may be shown: the password of `user:password@` and of a `password=` query item replaced.
 * Not through WHATWG URL, which refuses a cluster's `host:port,host:port`; everything between `://` and
 * the last `@` is taken for credentials, so a password holding `@`, `/` or `?` unencoded is hidden too.
 */
export function redactUrl(url: string): string {
  const shown = url.replace(/([?&]password=)[^&#]*/gi, '$1[redacted]');
  const start = shown.indexOf('://') + 3;
  const at = shown.lastIndexOf('@');
  if (start === 2 || at < start) return shown;
  const colon = shown.indexOf(':', start);
  const username = colon !== -1 && colon < at ? shown.slice(start, colon) : '';
  return `${shown.slice(0, start)}${username}:[redacted]${shown.slice(at)}`;
}
