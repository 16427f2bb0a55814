// Which answers are tried again, and that a server's Retry-After is honoured.
import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { isRetryable, withRetries } from './api-retry.js';

const refusal = (code: number, headers: Record<string, string> = {}) => new ApiException(code, `HTTP ${code}`, '{}', headers);

describe('withRetries', () => {
  it('tries 429 and 5xx again, and broken connections; not 404, 409 or 422', () => {
    expect([429, 500, 503].map((code) => isRetryable(refusal(code)))).toEqual([true, true, true]);
    expect([404, 409, 422].map((code) => isRetryable(refusal(code)))).toEqual([false, false, false]);
    expect(isRetryable(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(true);
  });

  it('waits as long as Retry-After says before the next try', async () => {
    const tries: number[] = [];
    const answer = await withRetries(async () => {
      tries.push(Date.now());
      if (tries.length < 2) throw refusal(429, { 'Retry-After': '1' });
      return 'ok';
    });
    expect(answer).toBe('ok');
    expect(tries[1]! - tries[0]!).toBeGreaterThanOrEqual(990);
  });

  it('gives up after its tries, with the last error', async () => {
    let tries = 0;
    await expect(
      withRetries(
        async () => {
          tries++;
          throw refusal(503);
        },
        { attempts: 3, baseDelayMs: 1 },
      ),
    ).rejects.toThrow('HTTP 503');
    expect(tries).toBe(3);
  });

  it('does not try a conflict again', async () => {
    let tries = 0;
    await expect(withRetries(async () => (tries++, Promise.reject(refusal(409))))).rejects.toThrow('HTTP 409');
    expect(tries).toBe(1);
  });
});
