// The archived-workflows paths over HTTP (fastify inject) against the real PostgreSQL (a schema of
// this run's own) and Redis: what each answers, with Argo's status codes, and that a refused request
// changes nothing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowArchive } from '@regatta/archive';
import type { Workflow } from '@regatta/spec';
import { startTestServer, type TestServer } from '../../test-support.js';
import { ARCHIVE_DATABASE_URL, dropSchema, uniqueSchema } from '../../../../test/support/postgres.js';

const schema = uniqueSchema();
let server: TestServer;
let archive: WorkflowArchive;
let admin: { authorization: string };
let argoViewer: { authorization: string };
let argoEditor: { authorization: string };

function ended(name: string, namespace: string, phase: 'Succeeded' | 'Failed', labels: Record<string, string>, startedAt: string): Workflow {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name, namespace, uid: randomUUID(), labels },
    spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'alpine', command: ['true'] } }] },
    status: {
      phase,
      startedAt,
      finishedAt: startedAt,
      nodes: { [name]: { id: name, name, displayName: name, type: 'Pod', templateName: 'main', phase, startedAt, finishedAt: startedAt } },
    },
  } as Workflow;
}

const ok1 = ended('ok-1', 'argo', 'Succeeded', { team: 'a' }, '2026-01-03T00:00:00Z');
const ok2 = ended('ok-2', 'argo', 'Succeeded', { team: 'b' }, '2026-01-02T00:00:00Z');
const failed = ended('broken', 'argo', 'Failed', { team: 'b' }, '2026-01-01T00:00:00Z');
const elsewhere = ended('other', 'other', 'Succeeded', { team: 'c' }, '2026-01-04T00:00:00Z');

beforeAll(async () => {
  server = await startTestServer();
  archive = await WorkflowArchive.open({ url: ARCHIVE_DATABASE_URL, schema });
  for (const workflow of [ok1, ok2, failed, elsewhere]) await archive.archive(workflow);
  // The routes read resources.archive per request: set here as `regatta server` sets it at start.
  server.resources.archive = archive;
  admin = await server.auth('admin');
  argoViewer = await server.auth('viewer', 'argo');
  argoEditor = await server.auth('editor', 'argo');
});

afterAll(async () => {
  await server?.close();
  await archive?.close();
  await dropSchema(schema);
});

const get = (url: string, headers = admin) => server.app.inject({ method: 'GET', url, headers });
const names = (body: { items: { metadata: { name: string } }[] }) => body.items.map((item) => item.metadata.name);

describe('GET /api/v1/archived-workflows', () => {
  it('lists newest first across namespaces, or one namespace, by label and name, page by page', async () => {
    const all = await get('/api/v1/archived-workflows');
    expect(all.statusCode).toBe(200);
    expect(names(all.json())).toEqual(['other', 'ok-1', 'ok-2', 'broken']);
    expect(all.json().items[1]).toMatchObject({ metadata: { uid: ok1.metadata.uid, namespace: 'argo', labels: { team: 'a' } }, status: { phase: 'Succeeded' } });
    expect(names((await get('/api/v1/archived-workflows?namespace=argo', argoViewer)).json())).toEqual(['ok-1', 'ok-2', 'broken']);
    expect(names((await get('/api/v1/archived-workflows?listOptions.fieldSelector=metadata.namespace=argo', argoViewer)).json())).toHaveLength(3);
    expect(names((await get('/api/v1/archived-workflows?namespace=argo&listOptions.labelSelector=team%3Db')).json())).toEqual(['ok-2', 'broken']);
    expect(names((await get('/api/v1/archived-workflows?namePrefix=ok-')).json())).toEqual(['ok-1', 'ok-2']);
    expect(names((await get('/api/v1/archived-workflows?name=ok-2&nameFilter=Exact')).json())).toEqual(['ok-2']);
    const first = (await get('/api/v1/archived-workflows?namespace=argo&listOptions.limit=2')).json();
    expect(names(first)).toEqual(['ok-1', 'ok-2']);
    const second = (await get(`/api/v1/archived-workflows?namespace=argo&listOptions.limit=2&listOptions.continue=${first.metadata.continue}`)).json();
    expect(names(second)).toEqual(['broken']);
    expect(second.metadata.continue).toBeUndefined();
  });

  it('answers 400 naming the bad field', async () => {
    const selector = await get('/api/v1/archived-workflows?listOptions.labelSelector=team%20in%20()');
    expect(selector.statusCode).toBe(400);
    expect(selector.json()).toMatchObject({ code: 3, message: expect.stringContaining('listOptions.labelSelector') });
    const token = await get('/api/v1/archived-workflows?listOptions.continue=nonsense');
    expect(token.statusCode).toBe(400);
    expect(token.json().message).toMatch(/listOptions\.continue/);
    expect((await get('/api/v1/archived-workflows?listOptions.fieldSelector=status.phase=Failed')).statusCode).toBe(400);
    expect((await get('/api/v1/archived-workflows?bogus=1')).statusCode).toBe(400);
  });

  it('answers 401 without a token and 403 outside the token\'s namespace', async () => {
    const anonymous = await server.app.inject({ method: 'GET', url: '/api/v1/archived-workflows' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ code: 16 });
    expect((await get('/api/v1/archived-workflows', argoViewer)).statusCode).toBe(403);
    expect((await get('/api/v1/archived-workflows?namespace=other', argoViewer)).statusCode).toBe(403);
  });
});

describe('GET and DELETE /api/v1/archived-workflows/{uid}', () => {
  it('gets the workflow as it ended, nodes included', async () => {
    const got = await get(`/api/v1/archived-workflows/${ok1.metadata.uid}`, argoViewer);
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual(ok1);
  });

  it('answers 404 for an unknown uid and 403 for another namespace\'s workflow', async () => {
    const missing = await get(`/api/v1/archived-workflows/${randomUUID()}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 5 });
    expect((await get(`/api/v1/archived-workflows/${elsewhere.metadata.uid}`, argoViewer)).statusCode).toBe(403);
  });

  it('deletes for an editor of its namespace, not for a viewer', async () => {
    const refused = await server.app.inject({ method: 'DELETE', url: `/api/v1/archived-workflows/${ok2.metadata.uid}`, headers: argoViewer });
    expect(refused.statusCode).toBe(403);
    expect(await archive.get(ok2.metadata.uid!)).toBeDefined();
    const deleted = await server.app.inject({ method: 'DELETE', url: `/api/v1/archived-workflows/${ok2.metadata.uid}`, headers: argoEditor });
    expect(deleted.statusCode).toBe(200);
    expect(await archive.get(ok2.metadata.uid!)).toBeUndefined();
    await archive.archive(ok2);
  });
});

describe('PUT /api/v1/archived-workflows/{uid}/resubmit and /retry', () => {
  it('resubmits as a new live workflow', async () => {
    const answer = await server.app.inject({ method: 'PUT', url: `/api/v1/archived-workflows/${ok1.metadata.uid}/resubmit`, headers: argoEditor, payload: { uid: ok1.metadata.uid, memoized: false } });
    expect(answer.statusCode).toBe(200);
    const name = answer.json().metadata.name as string;
    expect(name).toMatch(/^ok-1-\w{5}$/);
    expect(await server.resources.workflowStore.uidOf('argo', name)).toBe(answer.json().metadata.uid);
  });

  it('retries a Failed one live under a new uid; a second retry is 409, a Succeeded one 409, a viewer 403', async () => {
    const viewer = await server.app.inject({ method: 'PUT', url: `/api/v1/archived-workflows/${failed.metadata.uid}/retry`, headers: argoViewer, payload: {} });
    expect(viewer.statusCode).toBe(403);
    expect(await server.resources.workflowStore.uidOf('argo', 'broken')).toBeUndefined();
    const succeeded = await server.app.inject({ method: 'PUT', url: `/api/v1/archived-workflows/${ok1.metadata.uid}/retry`, headers: argoEditor, payload: {} });
    expect(succeeded.statusCode).toBe(409);
    const retried = await server.app.inject({ method: 'PUT', url: `/api/v1/archived-workflows/${failed.metadata.uid}/retry`, headers: argoEditor, payload: {} });
    expect(retried.statusCode).toBe(200);
    const uid = await server.resources.workflowStore.uidOf('argo', 'broken');
    expect(uid).toBe(retried.json().metadata.uid);
    expect(uid).not.toBe(failed.metadata.uid);
    const again = await server.app.inject({ method: 'PUT', url: `/api/v1/archived-workflows/${failed.metadata.uid}/retry`, headers: argoEditor, payload: {} });
    expect(again.statusCode).toBe(409);
    expect(await server.resources.workflowStore.uidOf('argo', 'broken')).toBe(uid);
  });

  it('answers 400 for a body naming another uid or an unknown field', async () => {
    const other = await server.app.inject({ method: 'PUT', url: `/api/v1/archived-workflows/${ok1.metadata.uid}/resubmit`, headers: argoEditor, payload: { uid: randomUUID() } });
    expect(other.statusCode).toBe(400);
    expect(other.json().message).toMatch(/body\.uid/);
    const unknown = await server.app.inject({ method: 'PUT', url: `/api/v1/archived-workflows/${ok1.metadata.uid}/resubmit`, headers: argoEditor, payload: { bogus: true } });
    expect(unknown.statusCode).toBe(400);
  });
});

describe('label keys and values', () => {
  it('lists the keys, and the values of one key', async () => {
    const keys = await get('/api/v1/archived-workflows-label-keys');
    expect(keys.statusCode).toBe(200);
    expect(keys.json()).toEqual({ items: ['team'] });
    expect((await get('/api/v1/archived-workflows-label-values?listOptions.labelSelector=team')).json()).toEqual({ items: ['a', 'b', 'c'] });
    expect((await get('/api/v1/archived-workflows-label-values?namespace=argo&listOptions.labelSelector=team', argoViewer)).json()).toEqual({ items: ['a', 'b'] });
  });

  it('answers 400 without a key, 401 without a token', async () => {
    expect((await get('/api/v1/archived-workflows-label-values')).statusCode).toBe(400);
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/archived-workflows-label-keys' })).statusCode).toBe(401);
  });
});

describe('without an archive', () => {
  it('answers 501 once authorized', async () => {
    const saved = server.resources.archive;
    server.resources.archive = undefined;
    try {
      const answer = await get('/api/v1/archived-workflows');
      expect(answer.statusCode).toBe(501);
      expect(answer.json().message).toMatch(/ARCHIVE_DATABASE_URL/);
    } finally {
      server.resources.archive = saved;
    }
  });
});
