// The paths around the API: health, readiness, metrics, info, version, userinfo and the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const get = (url: string, headers: Record<string, string> = {}) => server.app.inject({ method: 'GET', url, headers });

describe('health, readiness and metrics', () => {
  it('answers healthz and readyz while Redis answers', async () => {
    expect((await get('/healthz')).statusCode).toBe(200);
    expect((await get('/readyz')).json()).toEqual({ status: 'ok' });
  });

  it('counts requests by route pattern, not by URL', async () => {
    await get('/api/v1/workflows/argo/some-name');
    const metrics = (await get('/metrics')).body;
    expect(metrics).toContain('regatta_server_requests_total{method="GET",route="/api/v1/workflows/:namespace/:name",status="401"}');
    expect(metrics).not.toContain('some-name');
  });

  it('answers readyz 503 and healthz 200 when Redis does not answer', async () => {
    const down = await startTestServer();
    down.resources.redis.disconnect();
    expect((await down.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    expect((await down.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await down.app.close();
  });
});

describe('info, version, userinfo, openapi', () => {
  it('answers info and version without a token, in Argo shapes', async () => {
    expect((await get('/api/v1/info')).json()).toMatchObject({ links: [], modals: {} });
    expect((await get('/api/v1/version')).json()).toMatchObject({ version: expect.stringMatching(/^v\d/), platform: expect.any(String) });
  });

  it("says who a token is, and 401 without one", async () => {
    const headers = await server.auth('viewer', 'argo');
    expect((await get('/api/v1/userinfo', headers)).json()).toMatchObject({ subject: expect.stringMatching(/^token:/), serviceAccountNamespace: 'argo', groups: ['role:viewer'] });
    expect((await get('/api/v1/userinfo')).statusCode).toBe(401);
  });

  it('serves an OpenAPI document listing every path', async () => {
    const document = (await get('/api/v1/openapi.json')).json();
    expect(document.openapi).toBe('3.0.3');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/workflows/{namespace}', '/api/v1/workflows/{namespace}/{name}/retry', '/api/v1/workflow-events/{namespace}', '/healthz', '/api/v1/info']));
    expect(document.paths['/healthz'].get.security).toEqual([]);
    expect(document.paths['/api/v1/workflows/{namespace}/{name}'].delete.parameters.map((p: { name: string }) => p.name)).toEqual(['namespace', 'name']);
  });

  it('answers an unknown path 404 in Argo shape', async () => {
    expect((await get('/api/v1/nothing')).json()).toMatchObject({ code: 5 });
  });
});

describe('auth mode server', () => {
  it('allows everything without a token', async () => {
    const open = await startTestServer({ authMode: 'server' });
    expect((await open.app.inject({ method: 'GET', url: '/api/v1/workflows/any' })).statusCode).toBe(200);
    await open.close();
  });
});
