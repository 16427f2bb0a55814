// Redis restarted (or failed over) under a running scheduler: its data may have rolled back by the
// writes of the last second (an append-only file fsynced every second, a snapshot, a replica behind
// its primary), while the scheduler's cache and the workers went on. Each server names its process by
// a run_id, new at every start; a changed one tells the scheduler to redo what may have been lost.
import type { Cluster, Redis } from 'ioredis';

export class RedisRestarts {
  private last?: string;

  constructor(private readonly redis: Redis) {}

  /** True when the server (any primary of a cluster) is another process than at the last check. */
  async changed(): Promise<boolean> {
    const current = await runIds(this.redis);
    const changed = this.last !== undefined && current !== this.last;
    this.last = current;
    return changed;
  }
}

/** The run_id of the server, or of each primary of a cluster (sorted, joined). */
async function runIds(redis: Redis): Promise<string> {
  const servers = 'nodes' in redis && typeof (redis as unknown as Cluster).nodes === 'function' ? (redis as unknown as Cluster).nodes('master') : [redis];
  const ids = await Promise.all(servers.map(async (server) => /^run_id:(\S+)/m.exec(await server.info('server'))?.[1] ?? ''));
  return ids.sort().join(',');
}
