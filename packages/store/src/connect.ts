// One way to open a Redis connection for every process: a single server (`redis://host:port`) or a
// Redis Cluster (`redis+cluster://host:port,host:port,…`, any reachable nodes). All keys of one
// workflow, one shard or one pool share a hash tag, so every script and pipeline stays in one slot.
import { Cluster, Redis, type RedisOptions } from 'ioredis';

const CLUSTER_SCHEME = 'redis+cluster://';

export function isClusterUrl(url: string): boolean {
  return url.startsWith(CLUSTER_SCHEME);
}

/**
 * Typed as `Redis`: ioredis's Cluster offers the same commands, scripts, pipelines and pub/sub, and a
 * union of the two has no callable overloads in TypeScript.
 */
export function connectRedis(url: string, options: RedisOptions = {}): Redis {
  if (!isClusterUrl(url)) return new Redis(url, options);
  const nodes = url
    .slice(CLUSTER_SCHEME.length)
    .split(',')
    .map((address) => {
      const [host, port] = address.replace(/\/.*$/, '').split(':');
      return { host: host || '127.0.0.1', port: Number(port || 6379) };
    });
  const { enableAutoPipelining, maxRetriesPerRequest, lazyConnect, ...redisOptions } = options;
  return new Cluster(nodes, {
    redisOptions: { ...redisOptions, maxRetriesPerRequest },
    ...(enableAutoPipelining !== undefined && { enableAutoPipelining }),
    ...(lazyConnect !== undefined && { lazyConnect }),
  }) as unknown as Redis;
}
