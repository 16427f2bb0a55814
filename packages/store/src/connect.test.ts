// Every form of Redis URL an operator may give, read the way each connection reads it.
import type { Cluster, Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { connectRedis, resolveRedisUrl } from './connect.js';

/** A password with every character a URL treats specially. */
const PASSWORD = 'p@ss:w/rd?#%41 x';

function optionsOf(url: string): Redis['options'] {
  const client = connectRedis(url, { lazyConnect: true });
  client.disconnect();
  return client.options;
}

function clusterOf(url: string): Cluster {
  const client = connectRedis(url, { lazyConnect: true }) as unknown as Cluster;
  client.disconnect();
  return client;
}

describe('resolveRedisUrl', () => {
  it('writes credentials given apart into a single server URL, where ioredis reads them back as given', () => {
    const url = resolveRedisUrl('rediss://redis.example:6380/2', { username: 'regatta', password: PASSWORD });
    expect(optionsOf(url)).toMatchObject({ host: 'redis.example', port: 6380, db: 2, username: 'regatta', password: PASSWORD, tls: {} });
  });

  it('writes them into a Cluster URL, for every node', () => {
    const cluster = clusterOf(resolveRedisUrl('rediss+cluster://10.0.0.1:7000,10.0.0.2:7001', { password: PASSWORD }));
    expect(cluster.startupNodes).toEqual([{ host: '10.0.0.1', port: 7000 }, { host: '10.0.0.2', port: 7001 }]);
    expect(cluster.options.redisOptions).toMatchObject({ password: PASSWORD, tls: {} });
    expect(cluster.options.redisOptions?.username).toBeUndefined();
  });

  it('writes them into a unix socket path as query items', () => {
    expect(optionsOf(resolveRedisUrl('/run/redis/redis.sock', { password: PASSWORD }))).toMatchObject({ path: '/run/redis/redis.sock', password: PASSWORD });
  });

  it('leaves a URL as it is when no credentials are given apart', () => {
    expect(resolveRedisUrl('redis+cluster://u:pw@h:1,h:2', {})).toBe('redis+cluster://u:pw@h:1,h:2');
  });

  it('refuses credentials both in the URL and apart, and an unknown scheme, without repeating the URL', () => {
    expect(() => resolveRedisUrl('redis://:secret@h:6379', { password: 'other' })).toThrow('names credentials of its own');
    expect(() => resolveRedisUrl('redis+cluster://:secret@h:1', { password: 'other' })).toThrow('names credentials of its own');
    let message = '';
    try {
      resolveRedisUrl('http://:secret@h:6379', {});
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('must start with redis://, rediss://, redis+cluster:// or rediss+cluster://');
    expect(message).not.toContain('secret');
  });
});

describe('connectRedis', () => {
  it('reads a Cluster URL with credentials of its own, a password holding an unencoded @ included, and TLS only for rediss+cluster://', () => {
    const secure = clusterOf('rediss+cluster://admin:pa@ss@h1:7000,h2');
    expect(secure.startupNodes).toEqual([{ host: 'h1', port: 7000 }, { host: 'h2', port: 6379 }]);
    expect(secure.options.redisOptions).toMatchObject({ username: 'admin', password: 'pa@ss', tls: {} });
    expect(clusterOf('redis+cluster://h1:7000').options.redisOptions?.tls).toBeUndefined();
  });
});
