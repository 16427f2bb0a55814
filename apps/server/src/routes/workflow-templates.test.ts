// The WorkflowTemplate paths over HTTP (fastify inject) against a real Redis: Argo's create, list,
// get, update, delete and lint, with its status codes and error shape; a refused request changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support.js';

let server: TestServer;
let editor: { authorization: string };

beforeAll(async () => {
  server = await startTestServer();
  editor = await server.auth('editor', 'argo');
});
afterAll(() => server.close());

const BASE = '/api/v1/workflow-templates/argo';

function greeter(name: string, labels: Record<string, string> = {}, message = 'hello'): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'WorkflowTemplate',
    metadata: { name, labels },
    spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'busybox', command: ['echo', message] } }] },
  };
}

const inject = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = editor) =>
  server.app.inject({ method, url, headers, ...(payload !== undefined && { payload: payload as Record<string, unknown> }) });

describe('WorkflowTemplates over HTTP', () => {
  it('creates one, gets it, lists it by label, updates it keeping its uid, and deletes it', async () => {
    const created = await inject('POST', BASE, { template: greeter('greet', { team: 'a' }) });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({ metadata: { name: 'greet', namespace: 'argo', uid: expect.any(String) } });
    await inject('POST', BASE, { namespace: 'argo', template: greeter('other', { team: 'b' }) });

    const got = await inject('GET', `${BASE}/greet`);
    expect(got.json().metadata.uid).toBe(created.json().metadata.uid);
    const names = async (query: string) => ((await inject('GET', `${BASE}${query}`)).json() as { items: { metadata: { name: string } }[] }).items.map((t) => t.metadata.name);
    expect(await names('')).toEqual(['greet', 'other']);
    expect(await names('?listOptions.labelSelector=team%3Da')).toEqual(['greet']);
    expect(await names('?listOptions.labelSelector=team%20notin%20(a)')).toEqual(['other']);

    const updated = await inject('PUT', `${BASE}/greet`, { template: greeter('greet', { team: 'a' }, 'changed') });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().metadata.uid).toBe(created.json().metadata.uid);
    expect(updated.json().spec.templates[0].container.command).toEqual(['echo', 'changed']);

    expect((await inject('DELETE', `${BASE}/greet`)).json()).toEqual({});
    expect((await inject('GET', `${BASE}/greet`)).statusCode).toBe(404);
  });

  it('lints a template without storing it, and answers 400 naming the place of what is wrong', async () => {
    const linted = await inject('POST', `${BASE}/lint`, { template: greeter('linted') });
    expect(linted.statusCode).toBe(200);
    expect(linted.json().metadata.name).toBe('linted');
    expect((await inject('GET', `${BASE}/linted`)).statusCode).toBe(404);
    const bad = greeter('bad');
    (bad.spec as { templates: unknown[] }).templates.push({ name: 'steps', steps: [[{ name: 'a', template: 'missing' }]] });
    const refused = await inject('POST', `${BASE}/lint`, { template: bad });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 3, message: expect.stringMatching(/^body\.template:.*missing/) });
  });

  it('answers 409 for a name that is taken and keeps the first', async () => {
    await inject('POST', BASE, { template: greeter('taken', {}, 'first') });
    const again = await inject('POST', BASE, { template: greeter('taken', {}, 'second') });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({ code: 6, message: 'WorkflowTemplate "taken" in namespace "argo" already exists' });
    expect((await inject('GET', `${BASE}/taken`)).json().spec.templates[0].container.command).toEqual(['echo', 'first']);
  });

  it('answers 400 for an invalid template, an unknown field, another namespace, a bad selector or a name that differs on update', async () => {
    const cases: [string, 'POST' | 'PUT' | 'GET', string, unknown, RegExp][] = [
      ['invalid', 'POST', BASE, { template: { ...greeter('x'), spec: { templates: 'none' } } }, /body\.template/],
      ['unknown field', 'POST', BASE, { template: greeter('x'), extra: 1 }, /body/],
      ['body namespace', 'POST', BASE, { namespace: 'other', template: greeter('x') }, /^body\.namespace: "other" does not match/],
      ['template namespace', 'POST', BASE, { template: { ...greeter('x'), metadata: { name: 'x', namespace: 'other' } } }, /^body\.template\.metadata\.namespace/],
      ['selector', 'GET', `${BASE}?listOptions.labelSelector=a%20in%20x`, undefined, /listOptions\.labelSelector/],
      ['renamed', 'PUT', `${BASE}/taken`, { template: greeter('renamed') }, /^body\.template\.metadata\.name: "renamed" does not match the name of the path, "taken"/],
    ];
    for (const [what, method, url, payload, message] of cases) {
      const answer = await inject(method, url, payload);
      expect(answer.statusCode, what).toBe(400);
      expect(answer.json().message, what).toMatch(message);
    }
    expect((await inject('GET', `${BASE}/x`)).statusCode).toBe(404);
    expect((await inject('GET', `${BASE}/renamed`)).statusCode).toBe(404);
  });

  it('answers 404 to get, update and delete of an unknown template, creating nothing', async () => {
    for (const method of ['GET', 'DELETE'] as const) {
      expect((await inject(method, `${BASE}/absent`)).json()).toEqual({ code: 5, message: 'WorkflowTemplate "absent" not found in namespace "argo"' });
    }
    expect((await inject('PUT', `${BASE}/absent`, { template: greeter('absent') })).statusCode).toBe(404);
    expect((await inject('GET', `${BASE}/absent`)).statusCode).toBe(404);
  });

  it('answers 401 without a token, 403 for a viewer writing and for a token of another namespace', async () => {
    const none = await inject('GET', BASE, undefined, {});
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 16 });
    const viewer = await server.auth('viewer', 'argo');
    expect((await inject('GET', BASE, undefined, viewer)).statusCode).toBe(200);
    for (const [method, url, payload] of [
      ['POST', BASE, { template: greeter('nope') }],
      ['PUT', `${BASE}/taken`, { template: greeter('taken') }],
      ['DELETE', `${BASE}/taken`, undefined],
    ] as const) {
      expect((await inject(method, url, payload, viewer)).statusCode).toBe(403);
    }
    const elsewhere = await server.auth('admin', 'other');
    expect((await inject('GET', `${BASE}/taken`, undefined, elsewhere)).json()).toMatchObject({ code: 7 });
    expect((await inject('GET', `${BASE}/nope`)).statusCode).toBe(404);
  });
});
