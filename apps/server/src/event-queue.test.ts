// The bounded queue behind the events endpoint: at most `workers` events handled at once, at most
// `capacity` waiting (offer says false beyond, the endpoint's 503), and drained() waits for every
// accepted one, so a graceful stop loses none.
import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.js';

describe('EventQueue', () => {
  it('handles at most `workers` at once, refuses beyond `capacity` waiting, and drains everything accepted', async () => {
    const release: (() => void)[] = [];
    const handled: number[] = [];
    let running = 0;
    let most = 0;
    const queue = new EventQueue<number>(
      async (event) => {
        running++;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => release.push(resolve));
        running--;
        handled.push(event);
      },
      () => {},
      { capacity: 2, workers: 2 },
    );
    const offered = [1, 2, 3, 4, 5].map((event) => queue.offer(event));
    // Two taken by the workers, two waiting, the fifth refused.
    expect(offered).toEqual([true, true, true, true, false]);
    let drained = false;
    const draining = queue.drained().then(() => (drained = true));
    while (handled.length < 4) {
      await new Promise((resolve) => setImmediate(resolve));
      release.shift()?.();
    }
    await draining;
    expect(drained).toBe(true);
    expect(handled.toSorted()).toEqual([1, 2, 3, 4]);
    expect(most).toBe(2);
    expect(queue.offer(6)).toBe(true);
  });

  it('passes a failed handling to `failed` and goes on with the next', async () => {
    const failures: unknown[] = [];
    const handled: string[] = [];
    const queue = new EventQueue<string>(
      async (event) => {
        if (event === 'bad') throw new Error('broken');
        handled.push(event);
      },
      (error) => failures.push(error),
      { workers: 1 },
    );
    queue.offer('bad');
    queue.offer('good');
    await queue.drained();
    expect(handled).toEqual(['good']);
    expect(failures).toEqual([new Error('broken')]);
  });
});
