// Starting the server: auth mode server is refused beyond loopback unless allowed and warned about
// whenever on; TLS serves HTTPS with the given certificate; close ends it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '@regatta/telemetry';
import { isLoopback, startRefusal, startServer } from './start.js';
import { REDIS_URL, removePrefix, uniquePrefix } from '../../../test/support/redis.js';

const prefix = uniquePrefix();
afterAll(() => removePrefix(prefix));

describe('starting the server', () => {
  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.0.0.2', '::1', 'localhost'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '10.0.0.1', '::'].some(isLoopback)).toBe(false);
  });

  it('refuses auth mode server beyond loopback unless explicitly allowed, and a lone TLS file', () => {
    expect(startRefusal({ authMode: 'server', address: '0.0.0.0' })).toContain('--allow-server-auth-beyond-loopback');
    expect(startRefusal({ authMode: 'server', address: '0.0.0.0', allowServerAuthBeyondLoopback: true })).toBeUndefined();
    expect(startRefusal({ authMode: 'server', address: '127.0.0.1' })).toBeUndefined();
    expect(startRefusal({ authMode: 'client', address: '0.0.0.0' })).toBeUndefined();
    expect(startRefusal({ authMode: 'client', address: '127.0.0.1', tlsCertFile: 'cert.pem' })).toContain('go together');
  });

  it('serves HTTPS with a given certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regatta-tls-'));
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    const server = await startServer({
      redisUrl: REDIS_URL,
      prefix,
      shards: 2,
      port: 0,
      address: '127.0.0.1',
      authMode: 'client',
      tlsCertFile: cert,
      tlsKeyFile: key,
      logger: createLogger('server-test', { level: 'silent' }),
    });
    try {
      expect(server.url).toMatch(/^https:/);
      const status = await new Promise<number | undefined>((resolve, reject) =>
        request(`${server.url}/healthz`, { rejectUnauthorized: false }, (response) => {
          response.resume();
          resolve(response.statusCode);
        })
          .on('error', reject)
          .end(),
      );
      expect(status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
