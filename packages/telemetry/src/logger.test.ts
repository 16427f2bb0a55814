import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from './logger.js';

describe('redactUrl', () => {
  it('hides the password of a Cluster URL, which WHATWG URL cannot parse, and keeps the rest', () => {
    expect(redactUrl('rediss+cluster://admin:s3cret@10.0.0.1:7000,10.0.0.2:7001')).toBe('rediss+cluster://admin:[redacted]@10.0.0.1:7000,10.0.0.2:7001');
  });

  it('hides a password holding @, / or ? unencoded', () => {
    expect(redactUrl('redis://:p@ss/w?rd@redis.example:6379/0')).toBe('redis://:[redacted]@redis.example:6379/0');
  });

  it('hides a password given as a query item, as a unix socket path takes it', () => {
    expect(redactUrl('/run/redis.sock?password=s3cret&db=1')).toBe('/run/redis.sock?password=[redacted]&db=1');
  });

  it('leaves a URL without credentials as it is', () => {
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});

describe('createLogger', () => {
  it("redacts a Secret's stringData, HTTP headers and containers' env", () => {
    const lines: string[] = [];
    const logger = createLogger('test', {}, { write: (line: string) => void lines.push(line) });
    logger.info({ stringData: { password: 'hunter2-a' }, job: { http: { headers: [{ name: 'X-Token', value: 'hunter2-b' }] }, container: { env: [{ name: 'P', value: 'hunter2-c' }] } } }, 'logged');
    expect(lines.join('')).not.toMatch(/hunter2/);
    expect(lines.join('')).toContain('[redacted]');
  });
});
