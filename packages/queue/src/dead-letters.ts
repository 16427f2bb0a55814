// A shard's dead-letter stream: entries that do not decode, or whose processing fails every time they
// are delivered, are copied here (with why) and acknowledged, so one bad entry cannot stop its shard.
// Capped, so that a flood of bad entries cannot fill Redis; an operator reads them with XRANGE.
import type { Redis } from 'ioredis';
import { CONSUMER_GROUP } from './shard-streams.js';

/** Entries kept per shard, roughly (XADD MAXLEN ~). */
const KEEP = 10_000;

export interface DeadLetter {
  /** The shard stream entry's id. */
  id: string;
  content: string;
  reason: string;
  deliveries?: number;
}

export interface DeadLetterKeys {
  events: string;
  dead: string;
}

export class DeadLetters {
  constructor(
    private readonly redis: Redis,
    private readonly keys: (shard: number) => DeadLetterKeys,
  ) {}

  /**
   * Copies the letters to the dead-letter stream and acknowledges (and deletes) the entries named in
   * `ack`, in one transaction; an entry still holding events that decoded is acknowledged with its batch.
   */
  async add(shard: number, letters: DeadLetter[], ack: string[]): Promise<void> {
    if (letters.length === 0 && ack.length === 0) return;
    const { events, dead } = this.keys(shard);
    const transaction = this.redis.multi();
    for (const { id, content, reason, deliveries } of letters) {
      transaction.xadd(dead, 'MAXLEN', '~', KEEP, '*', 'id', id, 'reason', reason, 'content', content, ...(deliveries === undefined ? [] : ['deliveries', String(deliveries)]));
    }
    const unique = [...new Set(ack)];
    if (unique.length > 0) transaction.xack(events, CONSUMER_GROUP, ...unique).xdel(events, ...unique);
    const results = await transaction.exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0]!;
  }
}
