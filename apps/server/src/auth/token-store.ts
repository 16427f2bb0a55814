// Bearer tokens in Redis, under the instance's prefix: only their sha256 is stored, so a copy of the
// data set grants nothing; each token has an id (shown by `list`, used by `revoke`), a role and a
// namespace (none: every namespace). The token itself is shown once, when created.
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Role } from './roles.js';

export interface TokenRecord {
  id: string;
  role: Role;
  /** The one namespace it may act in; undefined: every namespace and cluster-scoped resources. */
  namespace?: string;
  createdAt: string;
}

const TOKEN_PREFIX = 'rgt_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class TokenStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Hash of token sha256 → TokenRecord JSON; few entries, so `revoke` and `list` read it whole. */
  private get key(): string {
    return `${this.prefix}:auth:tokens`;
  }

  /** A new token; the only time it is seen in the clear. */
  async create(role: Role, namespace: string | undefined, now = new Date()): Promise<{ token: string; record: TokenRecord }> {
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const record: TokenRecord = { id: randomBytes(6).toString('hex'), role, ...(namespace !== undefined && { namespace }), createdAt: now.toISOString() };
    await this.redis.hset(this.key, hashToken(token), JSON.stringify(record));
    return { token, record };
  }

  /** The record of a token that is valid now; undefined for an unknown or revoked one. */
  async verify(token: string): Promise<TokenRecord | undefined> {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const json = await this.redis.hget(this.key, hashToken(token));
    return json ? (JSON.parse(json) as TokenRecord) : undefined;
  }

  async list(): Promise<TokenRecord[]> {
    const all = await this.redis.hvals(this.key);
    return all.map((json) => JSON.parse(json) as TokenRecord).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** False when no token has that id. */
  async revoke(id: string): Promise<boolean> {
    const all = await this.redis.hgetall(this.key);
    const hash = Object.keys(all).find((key) => (JSON.parse(all[key]!) as TokenRecord).id === id);
    if (hash === undefined) return false;
    await this.redis.hdel(this.key, hash);
    return true;
  }
}
