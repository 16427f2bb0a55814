import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ResourceStore } from '@regatta/store';
import { readConfigMapKeys } from './configmap-keys.js';
import { REDIS_URL, removePrefix, uniquePrefix } from '../../../test/support/redis.js';

const redis = new Redis(REDIS_URL);
const prefix = uniquePrefix();

afterAll(async () => {
  await removePrefix(prefix);
  redis.disconnect();
});

describe('reading the ConfigMap keys of a node\'s inputs', () => {
  it('gives each key\'s value in the namespace, or whether the ConfigMap or the key is missing', async () => {
    const resources = new ResourceStore(redis, prefix);
    await resources.apply('ConfigMap', [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'team' }, data: { message: 'hello', empty: '' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'elsewhere', namespace: 'other' }, data: { message: 'not here' } },
    ]);
    const keys = [
      { name: 'settings', key: 'message' },
      { name: 'settings', key: 'empty' },
      { name: 'settings', key: 'gone' },
      { name: 'elsewhere', key: 'message' },
    ];
    expect(await readConfigMapKeys(resources, 'team', keys)).toEqual([
      { name: 'settings', key: 'message', value: 'hello' },
      { name: 'settings', key: 'empty', value: '' },
      { name: 'settings', key: 'gone', missing: 'key' },
      { name: 'elsewhere', key: 'message', missing: 'configMap' },
    ]);
  });
});
