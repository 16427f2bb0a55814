// Whether a Redis can be used, and what to say when it cannot, never showing its password.
import { connectRedis } from '@regatta/store';
import { redactUrl } from '@regatta/telemetry';

/** Redis 6+ says WRONGPASS or NOAUTH; Redis 5 `ERR invalid password`. */
const AUTH_FAILURE = /^(WRONGPASS|NOAUTH)\b|^ERR invalid password/;

/** The error a Cluster's node gave, else the error itself. */
export const redisErrorCause = (error: Error): Error => (error as { lastNodeError?: Error }).lastNodeError ?? error;

export const isAuthFailure = (error: Error): boolean => AUTH_FAILURE.test(redisErrorCause(error).message);

/** What to say after Redis refused the credentials: where they go. The server's words never hold the password. */
export function refusedCredentials(refused: Error): string {
  return `Redis refused the credentials (${refused.message}): give them in REDIS_URL (redis://user:password@host:port) or as REDIS_USERNAME and REDIS_PASSWORD`;
}

/**
 * Resolves once a Redis (or a Redis Cluster) at `url` answers PING; rejects with a message naming the
 * address (redacted) and the last error: at once when the credentials are refused, else after
 * `timeoutMs` of retrying (a Redis starting beside the service gets that long). Waits for the client's
 * `ready` event, not only on `connect()`: a Cluster whose ready check fails (a cluster still forming
 * reports `cluster_state:fail`) reconnects by itself, but the promise of its first `connect()` then
 * never settles.
 */
export async function checkRedis(url: string, timeoutMs: number): Promise<void> {
  const client = connectRedis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
  let lastError: Error | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const ready = await new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      client.on('error', (error: Error) => {
        lastError = error;
        if (isAuthFailure(error)) resolve(false);
      });
      client.once('ready', () => resolve(true));
      client.connect().catch(() => {});
    });
    if (ready && (await client.ping()) === 'PONG') return;
  } catch (error) {
    lastError = error as Error;
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
  const refused = lastError !== undefined && isAuthFailure(lastError);
  const reason = !lastError ? `no answer within ${timeoutMs} ms` : refused ? refusedCredentials(redisErrorCause(lastError)) : lastError.message;
  throw new RedisUnusableError(`cannot use the Redis at ${redactUrl(url)}: ${reason}`, refused);
}

/** Why checkRedis gave up; `credentialsRefused` tells a misconfiguration from a Redis that is down. */
export class RedisUnusableError extends Error {
  constructor(
    message: string,
    readonly credentialsRefused: boolean,
  ) {
    super(message);
  }
}
