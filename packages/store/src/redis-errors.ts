// Which Redis failures pass by themselves (the server is away, loading, failing over, out of memory)
// and which would come back on every try (a script or type error): callers retry the first kind and
// set the second aside, so a Redis outage never makes them give up on work that only has to wait.

/** Error replies that mean "not now": Redis is loading, read-only during a failover, busy or full. */
const TRANSIENT_REPLY = /^(LOADING|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|BUSY|NOREPLICAS|OOM|MOVED|ASK)\b/;
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTCONN', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** What ioredis says when a command cannot be sent or its connection went away under it. */
const CONNECTION_MESSAGE = /^(Connection is closed|Stream isn't writeable|Reached the max retries per request limit|Command timed out)/;

export function isTransientRedisError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ReplyError') return TRANSIENT_REPLY.test(error.message);
  const { code } = error as NodeJS.ErrnoException;
  return CONNECTION_MESSAGE.test(error.message) || (code !== undefined && CONNECTION_CODES.has(code));
}
