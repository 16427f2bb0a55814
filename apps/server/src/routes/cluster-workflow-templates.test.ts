// The ClusterWorkflowTemplate paths over HTTP against a real Redis: cluster-scoped (no namespace in the
// path, authorized with none), otherwise the same verbs and answers as WorkflowTemplates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support.js';

let server: TestServer;
let admin: { authorization: string };

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.auth('admin');
});
afterAll(() => server.close());

const BASE = '/api/v1/cluster-workflow-templates';

function template(name: string, message = 'hello'): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ClusterWorkflowTemplate',
    metadata: { name, labels: { scope: 'cluster' } },
    spec: { templates: [{ name: 'main', container: { image: 'busybox', command: ['echo', message] } }] },
  };
}

const inject = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = admin) =>
  server.app.inject({ method, url, headers, ...(payload !== undefined && { payload: payload as Record<string, unknown> }) });

describe('ClusterWorkflowTemplates over HTTP', () => {
  it('creates, lists, gets, updates, lints and deletes one, with no namespace anywhere', async () => {
    const created = await inject('POST', BASE, { template: { ...template('shared'), metadata: { name: 'shared', namespace: 'ignored', labels: { scope: 'cluster' } } } });
    expect(created.statusCode).toBe(200);
    expect(created.json().metadata.namespace).toBeUndefined();
    expect((await inject('GET', `${BASE}?listOptions.labelSelector=scope%3Dcluster`)).json().items.map((t: { metadata: { name: string } }) => t.metadata.name)).toEqual(['shared']);
    expect((await inject('PUT', `${BASE}/shared`, { template: template('shared', 'again') })).json().metadata.uid).toBe(created.json().metadata.uid);
    expect((await inject('POST', `${BASE}/lint`, { template: template('linted') })).statusCode).toBe(200);
    expect((await inject('DELETE', `${BASE}/shared`)).statusCode).toBe(200);
    expect((await inject('GET', `${BASE}/shared`)).json()).toEqual({ code: 5, message: 'ClusterWorkflowTemplate "shared" not found' });
    expect((await inject('GET', `${BASE}/linted`)).statusCode).toBe(404);
  });

  it('answers 409 for a taken name, 400 for a bad one, 401 without a token and 403 for a namespaced token', async () => {
    await inject('POST', BASE, { template: template('once') });
    expect((await inject('POST', BASE, { template: template('once') })).statusCode).toBe(409);
    expect((await inject('POST', BASE, { template: template('Not_A_Name') })).statusCode).toBe(400);
    expect((await inject('GET', BASE, undefined, {})).statusCode).toBe(401);
    const namespaced = await server.auth('admin', 'argo');
    expect((await inject('GET', `${BASE}/once`, undefined, namespaced)).statusCode).toBe(403);
    expect((await inject('DELETE', `${BASE}/once`, undefined, namespaced)).statusCode).toBe(403);
    expect((await inject('GET', `${BASE}/once`)).statusCode).toBe(200);
  });
});
