import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Secret } from '@regatta/spec';
import { Keys } from './keys.js';
import { SecretStore } from './secret-store.js';
import { SecretsKeySource } from './secrets-key.js';

const prefix = `regatta-test-${randomUUID().slice(0, 8)}`;
const KEY = randomBytes(32);
const keyOf = (bytes: Buffer) => new SecretsKeySource({ REGATTA_SECRETS_KEY: bytes.toString('base64') });
let redis: Redis;
let store: SecretStore;
const dir = mkdtempSync(join(tmpdir(), 'regatta-secrets-key-'));

beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  store = new SecretStore(redis, prefix, keyOf(KEY));
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

function secret(name: string, stringData: Record<string, string>, namespace = 'default'): Secret {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, stringData };
}

describe('SecretStore', () => {
  it('keeps values encrypted at rest: the raw Redis value holds neither the text nor its base64', async () => {
    await store.create(secret('at-rest', { password: 'S00perS3cretPa55word' }));
    const raw = (await redis.hget(new Keys(prefix).resources.secrets, 'default/at-rest'))!;
    expect(raw).not.toContain('S00perS3cretPa55word');
    expect(raw).not.toContain(Buffer.from('S00perS3cretPa55word').toString('base64'));
    expect(JSON.parse(raw)).toMatchObject({ type: 'Opaque', keyId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect((await store.data('default', 'at-rest'))?.password?.toString()).toBe('S00perS3cretPa55word');
  });

  it('gives each value its own IV, so equal values do not look equal', async () => {
    await store.create(secret('twins', { a: 'same', b: 'same' }));
    const { data } = JSON.parse((await redis.hget(new Keys(prefix).resources.secrets, 'default/twins'))!) as { data: Record<string, string> };
    expect(data.a).not.toBe(data.b);
  });

  it('reads back data as base64 with stringData folded in, and lists without values', async () => {
    await store.create({ ...secret('merged', { user: 'admin' }), type: 'kubernetes.io/basic-auth', data: { user: Buffer.from('x').toString('base64'), bin: Buffer.from([0, 255]).toString('base64') } });
    const got = await store.get('default', 'merged');
    expect(got?.type).toBe('kubernetes.io/basic-auth');
    expect(got?.data).toEqual({ user: Buffer.from('admin').toString('base64'), bin: 'AP8=' });
    expect(got?.metadata.uid).toBeDefined();
    const listed = await store.list('default');
    expect(listed.find(({ metadata }) => metadata.name === 'merged')).toMatchObject({ type: 'kubernetes.io/basic-auth', keys: ['bin', 'user'] });
    expect(await store.summary('default', 'merged')).toEqual(listed.find(({ metadata }) => metadata.name === 'merged'));
    expect(await store.summary('default', 'absent')).toBeUndefined();
  });

  it('refuses to create a Secret twice, and applies as kubectl does', async () => {
    await store.create(secret('applied', { k: 'v1' }));
    await expect(store.create(secret('applied', { k: 'v2' }))).rejects.toThrow('Secret default/applied already exists');
    const uid = (await store.get('default', 'applied'))?.metadata.uid;
    expect(await store.apply([secret('applied', { k: 'v1' }), secret('fresh', { k: 'v' })])).toEqual(['unchanged', 'created']);
    expect(await store.apply([secret('applied', { k: 'v2' })])).toEqual(['configured']);
    const after = await store.get('default', 'applied');
    expect(after?.metadata.uid).toBe(uid);
    expect(Buffer.from(after!.data!.k!, 'base64').toString()).toBe('v2');
  });

  it('keeps namespaces apart, lists across them, and deletes', async () => {
    await store.create(secret('shared-name', { k: 'team' }, 'team'));
    expect(await store.data('other', 'shared-name')).toBeUndefined();
    expect((await store.list(undefined)).some(({ metadata }) => metadata.namespace === 'team')).toBe(true);
    expect(await store.delete('team', 'shared-name')).toBe(true);
    expect(await store.delete('team', 'shared-name')).toBe(false);
  });

  it('says a wrong key is not the one the Secret was stored with, and lists without any key', async () => {
    await store.create(secret('keyed', { k: 'v' }));
    const other = new SecretStore(redis, prefix, keyOf(randomBytes(32)));
    await expect(other.data('default', 'keyed')).rejects.toThrow('cannot decrypt Secret default/keyed: REGATTA_SECRETS_KEY is not the key it was stored with');
    const keyless = new SecretStore(redis, prefix, new SecretsKeySource({}));
    expect((await keyless.list('default')).length).toBeGreaterThan(0);
    await expect(keyless.get('default', 'keyed')).rejects.toThrow(/^REGATTA_SECRETS_KEY is not set/);
  });

  it('refuses a value moved to another Secret (each is bound to its place)', async () => {
    const hash = new Keys(prefix).resources.secrets;
    await store.create(secret('source', { k: 'moved' }));
    await store.create(secret('target', { k: 'kept' }));
    const source = JSON.parse((await redis.hget(hash, 'default/source'))!) as { data: Record<string, string> };
    const target = JSON.parse((await redis.hget(hash, 'default/target'))!) as { data: Record<string, string> };
    await redis.hset(hash, 'default/target', JSON.stringify({ ...target, data: source.data }));
    await expect(store.data('default', 'target')).rejects.toThrow('cannot decrypt Secret default/target: the value of key k is damaged');
  });
});

describe('SecretsKeySource', () => {
  it('takes 32 bytes as hex, base64 or a file, and names the variable when malformed', () => {
    const hex = KEY.toString('hex');
    expect(new SecretsKeySource({ REGATTA_SECRETS_KEY: hex }).get().bytes.equals(KEY)).toBe(true);
    const file = join(dir, 'key');
    writeFileSync(file, `${KEY.toString('base64')}\n`);
    expect(new SecretsKeySource({ REGATTA_SECRETS_KEY_FILE: file }).get().id).toBe(keyOf(KEY).get().id);
    expect(() => new SecretsKeySource({ REGATTA_SECRETS_KEY: 'c2hvcnQ=' }).get()).toThrow('REGATTA_SECRETS_KEY must be 32 bytes written as 64 hex digits or as base64 (it decodes to 5 bytes)');
    expect(() => new SecretsKeySource({ REGATTA_SECRETS_KEY: 'not a key!' }).get()).toThrow(/^REGATTA_SECRETS_KEY must be 32 bytes/);
    expect(() => new SecretsKeySource({ REGATTA_SECRETS_KEY_FILE: join(dir, 'missing') }).get()).toThrow(/^REGATTA_SECRETS_KEY_FILE: cannot read .* ENOENT$/);
  });
});
