// The workflow paths over HTTP (fastify inject) against a real Redis, with no scheduler: what each
// answers, with Argo's status codes and error shape, and that a refused request changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, suspendWorkflow, type TestServer } from '../../test-support.js';

let server: TestServer;
let editor: { authorization: string };

beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: 64 * 1024 });
  editor = await server.auth('editor', 'argo');
});
afterAll(() => server.close());

const create = (name: string, headers = editor, namespace = 'argo') =>
  server.app.inject({ method: 'POST', url: `/api/v1/workflows/${namespace}`, headers, payload: { workflow: suspendWorkflow(name) } });

describe('create, get, delete', () => {
  it('creates a workflow and gets it back by name', async () => {
    const created = await create('hello');
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({ metadata: { name: 'hello', namespace: 'argo' } });
    const got = await server.app.inject({ method: 'GET', url: '/api/v1/workflows/argo/hello', headers: editor });
    expect(got.statusCode).toBe(200);
    expect(got.json().metadata.uid).toBe(created.json().metadata.uid);
  });

  it('answers 409 for a name that is taken, and keeps the first', async () => {
    await create('taken');
    const again = await create('taken');
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 6 });
  });

  it('answers 404 in Argo shape for an unknown workflow', async () => {
    const got = await server.app.inject({ method: 'GET', url: '/api/v1/workflows/argo/nope', headers: editor });
    expect(got.statusCode).toBe(404);
    expect(got.json()).toEqual({ code: 5, message: 'workflow "nope" not found in namespace "argo"' });
  });

  it('answers 400 naming the place for a bad body, an unknown field or an invalid workflow', async () => {
    const noWorkflow = await server.app.inject({ method: 'POST', url: '/api/v1/workflows/argo', headers: editor, payload: { workflow: 3 } });
    expect(noWorkflow.statusCode).toBe(400);
    expect(noWorkflow.json().message).toContain('body.workflow');
    const unknown = await server.app.inject({ method: 'POST', url: '/api/v1/workflows/argo', headers: editor, payload: { workflow: suspendWorkflow('x'), extra: 1 } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 3 });
    const bad = suspendWorkflow('bad');
    (bad.spec as { entrypoint: string }).entrypoint = 'missing';
    const invalid = await server.app.inject({ method: 'POST', url: '/api/v1/workflows/argo', headers: editor, payload: { workflow: bad } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().message).toContain('missing');
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/workflows/argo/bad', headers: editor })).statusCode).toBe(404);
  });

  it('answers 413 for a body over the limit', async () => {
    const big = suspendWorkflow('big', { padding: 'x'.repeat(100 * 1024) });
    const answer = await server.app.inject({ method: 'POST', url: '/api/v1/workflows/argo', headers: editor, payload: { workflow: big } });
    expect(answer.statusCode).toBe(413);
  });

  it('deletes a workflow; a second delete is 404', async () => {
    await create('doomed');
    const deleted = await server.app.inject({ method: 'DELETE', url: '/api/v1/workflows/argo/doomed', headers: editor });
    expect(deleted.statusCode).toBe(200);
    expect((await server.app.inject({ method: 'DELETE', url: '/api/v1/workflows/argo/doomed', headers: editor })).statusCode).toBe(404);
  });
});

describe('auth', () => {
  it('answers 401 without a token or with an unknown one', async () => {
    const none = await server.app.inject({ method: 'GET', url: '/api/v1/workflows/argo/hello' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 16 });
    const forged = await server.app.inject({ method: 'GET', url: '/api/v1/workflows/argo/hello', headers: { authorization: 'Bearer rgt_forged' } });
    expect(forged.statusCode).toBe(401);
  });

  it('answers 403 for a token of another namespace or a role without the verb, and creates nothing', async () => {
    const other = await create('elsewhere', editor, 'prod');
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: 7 });
    const viewer = await server.auth('viewer', 'argo');
    expect((await create('viewed', viewer)).statusCode).toBe(403);
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/workflows/argo/hello', headers: viewer })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/workflows/argo/viewed', headers: editor })).statusCode).toBe(404);
  });

  it('refuses a revoked token', async () => {
    const { token, record } = await server.resources.tokens.create('viewer', 'argo');
    const headers = { authorization: `Bearer ${token}` };
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/workflows/argo/hello', headers })).statusCode).toBe(200);
    expect(await server.resources.tokens.revoke(record.id)).toBe(true);
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/workflows/argo/hello', headers })).statusCode).toBe(401);
  });
});
