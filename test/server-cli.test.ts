// `regatta server` and `regatta auth token` end to end: a token created by the CLI opens the API,
// revoked it no longer does; auth mode server beyond loopback is refused unless allowed; SIGTERM
// closes the server, ending an open watch, and the process exits 0. Tokens never reach the logs.
import { afterAll, describe, expect, it } from 'vitest';
import { regatta, startService, stopService } from './support/cli.js';
import { freePort } from './support/free-port.js';
import { removePrefix, uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';

const prefix = uniquePrefix();
afterAll(() => removePrefix(prefix));

describe('regatta server', () => {
  it('serves with tokens the CLI creates and revokes, and closes on SIGTERM', async () => {
    const created = await regatta(['auth', 'token', 'create', '--role', 'editor', '-n', 'argo'], prefix);
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^rgt_/);
    const listed = await regatta(['auth', 'token', 'list'], prefix);
    expect(listed.stdout).toMatch(/editor\s+argo/);
    expect(listed.stdout).not.toContain(token);

    const port = await freePort();
    const server = startService(['server', '--port', String(port)], prefix);
    try {
      const base = `http://127.0.0.1:${port}`;
      await until('the server to answer', () => fetch(`${base}/healthz`).then((r) => r.ok, () => false));
      const headers = { authorization: `Bearer ${token}` };
      expect((await fetch(`${base}/api/v1/workflows/argo`, { headers })).status).toBe(200);
      expect((await fetch(`${base}/api/v1/workflows/argo`)).status).toBe(401);
      const watch = await fetch(`${base}/api/v1/workflow-events/argo`, { headers: { ...headers, accept: 'text/event-stream' } });
      expect(watch.status).toBe(200);

      const id = /^(\w+)\s+editor/m.exec(listed.stdout)![1]!;
      expect((await regatta(['auth', 'token', 'revoke', id], prefix)).code).toBe(0);
      expect((await fetch(`${base}/api/v1/workflows/argo`, { headers })).status).toBe(401);

      const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
      server.child.kill('SIGTERM');
      await watch.text();
      expect(await exited).toBe(0);
      expect(server.output()).not.toContain(token);
    } finally {
      await stopService(server.child);
    }
  });

  it('refuses auth mode server beyond loopback unless explicitly allowed', async () => {
    const refused = await regatta(['server', '--auth-mode', 'server', '--address', '0.0.0.0', '--port', '0'], prefix);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--allow-server-auth-beyond-loopback');
  });
});
