// The workflow paths over HTTP (fastify inject) against a real Redis, with no scheduler: what each
// answers, with Argo's status codes and error shape, and that a refused request changes nothing.
import { createHash } from 'node:crypto';
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

  it('answers 400 for a namespace that cannot be one', async () => {
    const answer = await server.app.inject({ method: 'GET', url: '/api/v1/workflows/Not_A_Namespace/x', headers: editor });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().message).toContain('path.namespace');
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

  it('lets only a token for every namespace act on cluster-scoped resources', async () => {
    const probe = await startTestServer();
    probe.app.get('/cluster-probe', async (request) => {
      await request.authorize(undefined, 'list');
      return {};
    });
    expect((await probe.app.inject({ method: 'GET', url: '/cluster-probe', headers: await probe.auth('viewer', 'argo') })).statusCode).toBe(403);
    expect((await probe.app.inject({ method: 'GET', url: '/cluster-probe', headers: await probe.auth('viewer') })).statusCode).toBe(200);
    await probe.close();
  });

  it("takes Argo UI's authorization cookie for a GET, never for a change", async () => {
    const cookie = `authorization=${encodeURIComponent(editor.authorization)}`;
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/workflows/argo/hello', headers: { cookie } })).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'DELETE', url: '/api/v1/workflows/argo/hello', headers: { cookie } })).statusCode).toBe(401);
  });

  it('keeps only the hash of a token in Redis', async () => {
    const { token } = await server.resources.tokens.create('viewer', 'argo');
    const stored = await server.resources.redis.hgetall(`${server.resources.prefix}:auth:tokens`);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(Object.keys(stored)).toContain(createHash('sha256').update(token).digest('hex'));
  });

  it('refuses a revoked token', async () => {
    const { token, record } = await server.resources.tokens.create('viewer', 'argo');
    const headers = { authorization: `Bearer ${token}` };
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/workflows/argo/hello', headers })).statusCode).toBe(200);
    expect(await server.resources.tokens.revoke(record.id)).toBe(true);
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/workflows/argo/hello', headers })).statusCode).toBe(401);
  });
});

describe('list', () => {
  let lister: TestServer;
  let headers: { authorization: string };
  beforeAll(async () => {
    lister = await startTestServer();
    headers = await lister.auth('viewer', 'team');
    const editorHeaders = await lister.auth('editor', 'team');
    for (const [name, labels] of [['a1', { app: 'a' }], ['a2', { app: 'a', tier: 'web' }], ['b1', { app: 'b' }]] as const) {
      const created = await lister.app.inject({ method: 'POST', url: '/api/v1/workflows/team', headers: editorHeaders, payload: { workflow: suspendWorkflow(name, labels) } });
      expect(created.statusCode).toBe(200);
    }
  });
  afterAll(() => lister.close());

  const list = (query = '') => lister.app.inject({ method: 'GET', url: `/api/v1/workflows/team${query}`, headers });
  const names = (body: { items: { metadata: { name: string } }[] }) => body.items.map((item) => item.metadata.name).sort();

  it('lists in Argo shape, with nodes unless fields drop them', async () => {
    const all = await list();
    expect(all.statusCode).toBe(200);
    expect(names(all.json())).toEqual(['a1', 'a2', 'b1']);
    expect(all.json().metadata).toEqual({});
    const slim = await list('?fields=-items.status.nodes,-items.spec');
    expect(slim.json().items[0].spec).toBeUndefined();
    expect(slim.json().items[0].metadata.name).toBeDefined();
    const picked = await list('?fields=items.metadata.name');
    expect(Object.keys(picked.json().items[0])).toEqual(['metadata']);
    expect(Object.keys(picked.json().items[0].metadata)).toEqual(['name']);
  });

  it('selects by labels and fields', async () => {
    expect(names((await list('?listOptions.labelSelector=app%3Da')).json())).toEqual(['a1', 'a2']);
    expect(names((await list('?listOptions.labelSelector=app%3Da,!tier')).json())).toEqual(['a1']);
    expect(names((await list('?listOptions.labelSelector=app%20notin%20(a)')).json())).toEqual(['b1']);
    expect(names((await list('?listOptions.fieldSelector=metadata.name%3Db1')).json())).toEqual(['b1']);
    expect(names((await list('?listOptions.fieldSelector=metadata.name!%3Db1,status.phase%3D')).json())).toEqual(['a1', 'a2']);
  });

  it("matches a selected name by Argo's nameFilter, and selects by creation time", async () => {
    expect(names((await list('?listOptions.fieldSelector=metadata.name%3Da&nameFilter=Prefix')).json())).toEqual(['a1', 'a2']);
    expect(names((await list('?listOptions.fieldSelector=metadata.name%3D1&nameFilter=Contains')).json())).toEqual(['a1', 'b1']);
    expect(names((await list('?listOptions.fieldSelector=metadata.name%3Da&nameFilter=Exact')).json())).toEqual([]);
    expect(names((await list('?listOptions.fieldSelector=metadata.name!%3Da&nameFilter=Prefix')).json())).toEqual(['b1']);
    expect(names((await list('?createdAfter=2000-01-01T00:00:00Z')).json())).toEqual(['a1', 'a2', 'b1']);
    expect(names((await list(`?createdAfter=${new Date(Date.now() + 60_000).toISOString()}`)).json())).toEqual([]);
    // Suspended, so none has finished.
    expect(names((await list(`?finishedBefore=${new Date(Date.now() + 60_000).toISOString()}`)).json())).toEqual([]);
  });

  it('lists every namespace without one, for a token of every namespace only', async () => {
    const admin = await lister.auth('admin');
    const created = await lister.app.inject({ method: 'POST', url: '/api/v1/workflows/other', headers: admin, payload: { workflow: suspendWorkflow('o1') } });
    expect(created.statusCode).toBe(200);
    for (const url of ['/api/v1/workflows/', '/api/v1/workflows']) {
      const all = await lister.app.inject({ method: 'GET', url: `${url}?listOptions.labelSelector=app%21%3Db&fields=items.metadata.name`, headers: admin });
      expect(names(all.json())).toEqual(['a1', 'a2', 'o1']);
    }
    expect((await lister.app.inject({ method: 'GET', url: '/api/v1/workflows/', headers })).statusCode).toBe(403);
    await lister.app.inject({ method: 'DELETE', url: '/api/v1/workflows/other/o1', headers: admin });
  });

  it('pages with limit and continue, each item once', async () => {
    const first = (await list('?listOptions.limit=2')).json();
    expect(first.items).toHaveLength(2);
    expect(first.metadata.continue).toEqual(expect.any(String));
    const second = (await list(`?listOptions.limit=2&listOptions.continue=${first.metadata.continue}`)).json();
    expect(second.items).toHaveLength(1);
    expect(second.metadata.continue).toBeUndefined();
    expect([...names(first), ...names(second)].sort()).toEqual(['a1', 'a2', 'b1']);
  });

  it('answers 400 for a bad selector, limit, continue token, name filter or time', async () => {
    for (const query of ['?listOptions.labelSelector=a%20in%20x', '?listOptions.fieldSelector=spec.x%3D1', '?listOptions.limit=-1', '?listOptions.continue=bogus', '?nameFilter=Regex', '?createdAfter=yesterday']) {
      const answer = await list(query);
      expect(answer.statusCode, query).toBe(400);
      expect(answer.json().code).toBe(3);
    }
  });
});

describe('lint, submit and the controls', () => {
  it('lints without storing', async () => {
    const linted = await server.app.inject({ method: 'POST', url: '/api/v1/workflows/argo/lint', headers: editor, payload: { workflow: suspendWorkflow('linted') } });
    expect(linted.statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/workflows/argo/linted', headers: editor })).statusCode).toBe(404);
    const bad = await server.app.inject({ method: 'POST', url: '/api/v1/workflows/argo/lint', headers: editor, payload: { workflow: { metadata: { name: 'x' } } } });
    expect(bad.statusCode).toBe(400);
  });

  it('submits from a stored WorkflowTemplate with labels and parameters; 404 for an unknown one', async () => {
    await server.resources.resourceStore.create('WorkflowTemplate', [
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'WorkflowTemplate',
        metadata: { name: 'tpl', namespace: 'argo' },
        spec: { entrypoint: 'wait', arguments: { parameters: [{ name: 'p', value: '1' }] }, templates: [{ name: 'wait', suspend: {} }] },
      },
    ]);
    const submitted = await server.app.inject({
      method: 'POST',
      url: '/api/v1/workflows/argo/submit',
      headers: editor,
      payload: { resourceKind: 'WorkflowTemplate', resourceName: 'tpl', submitOptions: { name: 'from-tpl', entryPoint: 'wait', parameters: ['p=2'], labels: 'team=x' } },
    });
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json().metadata.name).toBe('from-tpl');
    expect(submitted.json().metadata.labels).toMatchObject({ team: 'x' });
    expect(submitted.json().spec.arguments.parameters).toContainEqual({ name: 'p', value: '2' });
    const badName = await server.app.inject({ method: 'POST', url: '/api/v1/workflows/argo/submit', headers: editor, payload: { resourceKind: 'WorkflowTemplate', resourceName: 'tpl', submitOptions: { name: 'Bad_Name' } } });
    expect(badName.statusCode).toBe(400);
    const unknown = await server.app.inject({ method: 'POST', url: '/api/v1/workflows/argo/submit', headers: editor, payload: { resourceKind: 'WorkflowTemplate', resourceName: 'nope' } });
    expect(unknown.statusCode).toBe(404);
    const badKind = await server.app.inject({ method: 'POST', url: '/api/v1/workflows/argo/submit', headers: editor, payload: { resourceKind: 'Pod', resourceName: 'tpl' } });
    expect(badKind.statusCode).toBe(400);
  });

  it('sends controls to a live workflow, answers 409 where one does not apply and 404 for an unknown workflow', async () => {
    await create('controlled');
    for (const action of ['suspend', 'resume', 'stop', 'terminate']) {
      const answer = await server.app.inject({ method: 'PUT', url: `/api/v1/workflows/argo/controlled/${action}`, headers: editor, payload: {} });
      expect(answer.statusCode, action).toBe(200);
      expect(answer.json().metadata.name).toBe('controlled');
    }
    const set = await server.app.inject({ method: 'PUT', url: '/api/v1/workflows/argo/controlled/set', headers: editor, payload: { nodeFieldSelector: 'displayName=x', outputParameters: '{"a":"b"}' } });
    expect(set.statusCode).toBe(200);
    const retry = await server.app.inject({ method: 'PUT', url: '/api/v1/workflows/argo/controlled/retry', headers: editor, payload: {} });
    expect(retry.statusCode).toBe(409);
    expect(retry.json()).toMatchObject({ code: 9 });
    const missing = await server.app.inject({ method: 'PUT', url: '/api/v1/workflows/argo/nope/suspend', headers: editor, payload: {} });
    expect(missing.statusCode).toBe(404);
    const badSet = await server.app.inject({ method: 'PUT', url: '/api/v1/workflows/argo/controlled/set', headers: editor, payload: { nodeFieldSelector: 'a=b', outputParameters: 'nope' } });
    expect(badSet.statusCode).toBe(400);
    const otherName = await server.app.inject({ method: 'PUT', url: '/api/v1/workflows/argo/controlled/suspend', headers: editor, payload: { name: 'other' } });
    expect(otherName.statusCode).toBe(400);
    const viewer = await server.auth('viewer', 'argo');
    expect((await server.app.inject({ method: 'PUT', url: '/api/v1/workflows/argo/controlled/suspend', headers: viewer, payload: {} })).statusCode).toBe(403);
  });

  it('resubmits as a new workflow', async () => {
    await create('original');
    const resubmitted = await server.app.inject({ method: 'PUT', url: '/api/v1/workflows/argo/original/resubmit', headers: editor, payload: {} });
    expect(resubmitted.statusCode).toBe(200);
    expect(resubmitted.json().metadata.name).not.toBe('original');
    const memoized = await server.app.inject({ method: 'PUT', url: '/api/v1/workflows/argo/original/resubmit', headers: editor, payload: { memoized: true } });
    expect(memoized.statusCode).toBe(409);
  });
});
