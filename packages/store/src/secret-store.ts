// Kubernetes-shaped Secrets for local and Redis-backed installs: one hash under {resources}, a field per
// `<namespace>/<name>` holding the Secret's metadata and type in the clear and each value sealed on its
// own (secret-cipher.ts) under the operator's key, whose id the record names. Listing reads no value and
// needs no key; reading a value or writing one does. Like the API server, the store gives each Secret its
// uid and creationTimestamp and folds `stringData` into `data`.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { argoTime, type ObjectMeta, type Secret } from '@regatta/spec';
import { StoreError } from './errors.js';
import { Keys } from './keys.js';
import type { ApplyOutcome } from './resource-store.js';
import { openValue, sealValue } from './secret-cipher.js';
import { SECRETS_KEY_VARIABLE, type SecretsKeySource } from './secrets-key.js';

/** A Secret as stored: values sealed, so the record may be read, listed and copied without showing them. */
interface SecretRecord {
  metadata: ObjectMeta;
  type: string;
  keyId: string;
  data: Record<string, string>;
}

/** What `list` shows of a Secret: everything but its values. */
export interface SecretSummary {
  metadata: ObjectMeta;
  type: string;
  keys: string[];
}

/** A stored value that cannot be decrypted with the key at hand. */
export class SecretDecryptError extends Error {
  readonly code = 'SECRET_UNREADABLE';
}

export class SecretStore {
  private readonly hash: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly key: SecretsKeySource,
  ) {
    this.hash = new Keys(prefix).resources.secrets;
  }

  /** Stores a new Secret (`kubectl create secret`); throws EXISTS where one of its name is stored. */
  async create(secret: Secret): Promise<void> {
    const { field, record } = this.sealed(secret);
    if ((await this.redis.hsetnx(this.hash, field, JSON.stringify(record))) === 0) {
      throw new StoreError('EXISTS', `Secret ${field} already exists`);
    }
  }

  /** Creates or replaces each Secret, as `kubectl apply` does, keeping the uid and creation time. */
  async apply(secrets: Secret[]): Promise<ApplyOutcome[]> {
    const outcomes: ApplyOutcome[] = [];
    for (const secret of secrets) {
      const field = fieldOf(secret.metadata);
      const old = await this.record(field);
      const before = old && this.open(field, old);
      const after = plainData(secret);
      if (old && before && sameSecret(old, before, secret, after)) {
        outcomes.push('unchanged');
        continue;
      }
      const { record } = this.sealed(secret, old?.metadata);
      await this.redis.hset(this.hash, field, JSON.stringify(record));
      outcomes.push(old ? 'configured' : 'created');
    }
    return outcomes;
  }

  /** The Secret with its values (base64 in `data`, as the API gives them); undefined where there is none. */
  async get(namespace: string, name: string): Promise<Secret | undefined> {
    const field = `${namespace}/${name}`;
    const record = await this.record(field);
    if (!record) return undefined;
    const data = Object.fromEntries(Object.entries(this.open(field, record)).map(([key, value]) => [key, value.toString('base64')]));
    return { apiVersion: 'v1', kind: 'Secret', metadata: record.metadata, type: record.type, data };
  }

  /** The Secret's values as bytes, as a node receives them; undefined where there is none. */
  async data(namespace: string, name: string): Promise<Record<string, Buffer> | undefined> {
    const field = `${namespace}/${name}`;
    const record = await this.record(field);
    return record && this.open(field, record);
  }

  /** What `list` shows of one Secret; no value is read. */
  async summary(namespace: string, name: string): Promise<SecretSummary | undefined> {
    const record = await this.record(`${namespace}/${name}`);
    return record && summaryOf(record);
  }

  /** The Secrets of a namespace (of every namespace when undefined), by namespace then name; no value is read. */
  async list(namespace: string | undefined): Promise<SecretSummary[]> {
    const pattern = namespace === undefined ? '*' : `${namespace.replace(/[*?[\]\\]/g, '\\$&')}/*`;
    const found = new Map<string, SecretRecord>();
    let cursor = '0';
    do {
      const [next, entries] = await this.redis.hscan(this.hash, cursor, 'MATCH', pattern, 'COUNT', 500);
      for (let i = 0; i + 1 < entries.length; i += 2) found.set(entries[i]!, JSON.parse(entries[i + 1]!) as SecretRecord);
      cursor = next;
    } while (cursor !== '0');
    return [...found.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, record]) => summaryOf(record));
  }

  async delete(namespace: string, name: string): Promise<boolean> {
    return (await this.redis.hdel(this.hash, `${namespace}/${name}`)) === 1;
  }

  private async record(field: string): Promise<SecretRecord | undefined> {
    const json = await this.redis.hget(this.hash, field);
    return json ? (JSON.parse(json) as SecretRecord) : undefined;
  }

  private open(field: string, record: SecretRecord): Record<string, Buffer> {
    const key = this.key.get();
    const wrongKey = () => new SecretDecryptError(`cannot decrypt Secret ${field}: ${SECRETS_KEY_VARIABLE} is not the key it was stored with`);
    if (record.keyId !== key.id) throw wrongKey();
    const values: Record<string, Buffer> = {};
    for (const [name, sealed] of Object.entries(record.data)) {
      const value = openValue(key.bytes, `${field}/${name}`, sealed);
      if (!value) throw new SecretDecryptError(`cannot decrypt Secret ${field}: the value of key ${name} is damaged`);
      values[name] = value;
    }
    return values;
  }

  private sealed(secret: Secret, old?: ObjectMeta): { field: string; record: SecretRecord } {
    const field = fieldOf(secret.metadata);
    const key = this.key.get();
    const data = Object.fromEntries(Object.entries(plainData(secret)).map(([name, value]) => [name, sealValue(key.bytes, `${field}/${name}`, value)]));
    const metadata: ObjectMeta = {
      ...secret.metadata,
      namespace: secret.metadata.namespace ?? 'default',
      uid: old?.uid ?? randomUUID(),
      creationTimestamp: old?.creationTimestamp ?? argoTime(),
    };
    return { field, record: { metadata, type: secret.type ?? 'Opaque', keyId: key.id, data } };
  }
}

function summaryOf({ metadata, type, data }: SecretRecord): SecretSummary {
  return { metadata, type, keys: Object.keys(data).sort() };
}

function fieldOf({ name, namespace = 'default' }: ObjectMeta): string {
  if (!name) throw new Error('a stored Secret needs metadata.name');
  return `${namespace}/${name}`;
}

/** `data` decoded from base64, with `stringData` written over it (the API server's merge). */
function plainData({ data = {}, stringData = {} }: Secret): Record<string, Buffer> {
  const plain: Record<string, Buffer> = {};
  for (const [key, value] of Object.entries(data)) plain[key] = Buffer.from(value, 'base64');
  for (const [key, value] of Object.entries(stringData)) plain[key] = Buffer.from(value, 'utf8');
  return plain;
}

/** Whether applying `secret` would change nothing: its type, labels, annotations and values are those stored. */
function sameSecret(old: SecretRecord, before: Record<string, Buffer>, secret: Secret, after: Record<string, Buffer>): boolean {
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
  const keys = Object.keys(after);
  return (
    old.type === (secret.type ?? 'Opaque') &&
    same(old.metadata.labels, secret.metadata.labels) &&
    same(old.metadata.annotations, secret.metadata.annotations) &&
    keys.length === Object.keys(before).length &&
    keys.every((key) => before[key]?.equals(after[key]!) === true)
  );
}
