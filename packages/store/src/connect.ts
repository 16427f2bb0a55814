// One way to open a Redis connection for every process: a single server (`redis://`, `rediss://` for
// TLS, or a unix socket's path) or a Redis Cluster (`redis+cluster://host:port,host:port,…`,
// `rediss+cluster://` for TLS; any reachable nodes), with credentials as `user:password@` in the URL.
// All keys of one workflow, one shard or one pool share a hash tag, so every script and pipeline stays
// in one slot.
import { Cluster, Redis, type RedisOptions } from 'ioredis';

const CLUSTER_SCHEME = /^(rediss?)\+cluster:\/\//;
const SERVER_SCHEME = /^rediss?:\/\//;

export interface RedisCredentials {
  username?: string;
  password?: string;
}

interface ClusterTarget extends RedisCredentials {
  nodes: { host: string; port: number }[];
  tls: boolean;
}

export function isClusterUrl(url: string): boolean {
  return CLUSTER_SCHEME.test(url);
}

/** `user:password` as a URL carries it (either part may be missing), decoded. */
function splitUserInfo(userInfo: string): RedisCredentials {
  const colon = userInfo.indexOf(':');
  const username = decodeURIComponent(colon === -1 ? userInfo : userInfo.slice(0, colon));
  const password = colon === -1 ? '' : decodeURIComponent(userInfo.slice(colon + 1));
  return { ...(username && { username }), ...(password && { password }) };
}

/** WHATWG URL refuses `host:port,host:port`, so a cluster's URL is taken apart here. */
function parseClusterUrl(url: string): ClusterTarget {
  const scheme = CLUSTER_SCHEME.exec(url)!;
  const rest = url.slice(scheme[0].length);
  // The last `@`: a password may hold one unencoded, a host list never does.
  const at = rest.lastIndexOf('@');
  const nodes = rest
    .slice(at + 1)
    .replace(/\/.*$/, '')
    .split(',')
    .map((address) => {
      const [host, port] = address.split(':');
      return { host: host || '127.0.0.1', port: Number(port || 6379) };
    });
  return { nodes, tls: scheme[1] === 'rediss', ...(at !== -1 && splitUserInfo(rest.slice(0, at))) };
}

function credentialsOf(url: string): RedisCredentials {
  if (isClusterUrl(url)) return parseClusterUrl(url);
  if (SERVER_SCHEME.test(url)) {
    const parsed = new URL(url);
    return splitUserInfo(`${parsed.username}:${parsed.password}`);
  }
  const query = new URLSearchParams(url.split('?')[1] ?? '');
  return { ...(query.get('username') && { username: query.get('username')! }), ...(query.get('password') && { password: query.get('password')! }) };
}

/**
 * The URL every process connects with: `url` checked, and `credentials` given apart from it (as a
 * Secret gives REDIS_PASSWORD) written in. Throws, without repeating the URL (it may hold a password),
 * when the URL is not one of the forms above or names credentials of its own as well.
 */
export function resolveRedisUrl(url: string, credentials: RedisCredentials): string {
  if (!CLUSTER_SCHEME.test(url) && !SERVER_SCHEME.test(url) && !url.startsWith('/')) {
    throw new Error('must start with redis://, rediss://, redis+cluster:// or rediss+cluster://, or be the path of a unix socket');
  }
  if (SERVER_SCHEME.test(url) && !URL.canParse(url)) throw new Error('is not a valid URL (percent-encode special characters of a password)');
  const { username, password } = credentials;
  if (!username && !password) return url;
  const own = credentialsOf(url);
  if (own.username || own.password) throw new Error('names credentials of its own, and others are given apart: give them in one place');
  if (SERVER_SCHEME.test(url)) {
    const parsed = new URL(url);
    if (username) parsed.username = encodeURIComponent(username);
    if (password) parsed.password = encodeURIComponent(password);
    return parsed.toString();
  }
  if (isClusterUrl(url)) {
    const scheme = CLUSTER_SCHEME.exec(url)![0];
    return `${scheme}${encodeURIComponent(username ?? '')}:${encodeURIComponent(password ?? '')}@${url.slice(scheme.length)}`;
  }
  // A socket's path takes them as query items, as ioredis reads it.
  const [path, query] = url.split('?');
  const items = new URLSearchParams(query ?? '');
  if (username) items.set('username', username);
  if (password) items.set('password', password);
  return `${path}?${items.toString()}`;
}

type CommandError = Error & { command?: { name: string; args: unknown[] }; lastNodeError?: CommandError };

/**
 * ioredis puts a failed command's arguments on its error, a refused AUTH's password included, and BullMQ
 * prints an error nobody listens for with all its fields: the password is taken out first, by the first
 * listener. Any listener silences ioredis's own report of an error nobody listens for, so this one keeps
 * that report while it is alone.
 */
function hidePasswords<T extends Redis | Cluster>(client: T): T {
  client.on('error', (error: CommandError) => {
    for (const failed of [error, error.lastNodeError]) if (failed?.command?.name === 'auth') failed.command.args = ['[redacted]'];
    if (client.listenerCount('error') === 1) console.error('[ioredis] Unhandled error event:', error.stack);
  });
  return client;
}

/**
 * Typed as `Redis`: ioredis's Cluster offers the same commands, scripts, pipelines and pub/sub, and a
 * union of the two has no callable overloads in TypeScript.
 */
export function connectRedis(url: string, options: RedisOptions = {}): Redis {
  // ioredis reads a single server's URL itself: credentials, `rediss://` (TLS), a socket's path.
  if (!isClusterUrl(url)) return hidePasswords(new Redis(url, options));
  const { nodes, tls, username, password } = parseClusterUrl(url);
  const { enableAutoPipelining, maxRetriesPerRequest, lazyConnect, ...redisOptions } = options;
  const cluster = new Cluster(nodes, {
    redisOptions: {
      ...redisOptions,
      maxRetriesPerRequest,
      ...(username !== undefined && { username }),
      ...(password !== undefined && { password }),
      ...(tls && { tls: {} }),
    },
    ...(enableAutoPipelining !== undefined && { enableAutoPipelining }),
    ...(lazyConnect !== undefined && { lazyConnect }),
  });
  return hidePasswords(cluster) as unknown as Redis;
}

/** Opens a connection to one Redis (or Cluster): the one way a process's parts connect, handed to them. */
export type RedisFactory = (options?: RedisOptions) => Redis;

export function redisFactory(url: string): RedisFactory {
  return (options) => connectRedis(url, options);
}
