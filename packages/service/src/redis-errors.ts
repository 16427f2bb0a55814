// What Redis says when it refuses credentials, and what to tell the user then: plain functions, so
// that a command can explain a refusal without loading the logger and metrics (@regatta/service/redis-errors).
/** Redis 6+ says WRONGPASS or NOAUTH; Redis 5 `ERR invalid password`. */
const AUTH_FAILURE = /^(WRONGPASS|NOAUTH)\b|^ERR invalid password/;

/** The error a Cluster's node gave, else the error itself. */
export const redisErrorCause = (error: Error): Error => (error as { lastNodeError?: Error }).lastNodeError ?? error;

export const isAuthFailure = (error: Error): boolean => AUTH_FAILURE.test(redisErrorCause(error).message);

/** What to say after Redis refused the credentials: where they go. The server's words never hold the password. */
export function refusedCredentials(refused: Error): string {
  return `Redis refused the credentials (${refused.message}): give them in REDIS_URL (redis://user:password@host:port) or as REDIS_USERNAME and REDIS_PASSWORD`;
}
