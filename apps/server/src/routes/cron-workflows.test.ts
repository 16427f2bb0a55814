// The CronWorkflow paths over HTTP against a real Redis, with no scheduler: created and linted with the
// CLI's checks (schedules, expressions, the workflowSpec as a child), shown with their status,
// suspended and resumed, updated and deleted with the workflows they started.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support.js';

let server: TestServer;
let editor: { authorization: string };

beforeAll(async () => {
  server = await startTestServer();
  editor = await server.auth('editor', 'argo');
});
afterAll(() => server.close());

const BASE = '/api/v1/cron-workflows/argo';

function cron(name: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'CronWorkflow',
    metadata: { name, labels: { kind: 'nightly' } },
    spec: { schedules: ['0 2 * * *'], workflowSpec: { entrypoint: 'main', templates: [{ name: 'main', suspend: {} }] }, ...spec },
  };
}

const inject = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = editor) =>
  server.app.inject({ method, url, headers, ...(payload !== undefined && { payload: payload as Record<string, unknown> }) });

describe('CronWorkflows over HTTP', () => {
  it('creates one shown with its status, lists it by label, suspends, resumes, updates and deletes it', async () => {
    const created = await inject('POST', BASE, { namespace: 'argo', cronWorkflow: cron('nightly') });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({ metadata: { name: 'nightly', namespace: 'argo' }, status: { phase: 'Active' } });
    expect((await inject('GET', `${BASE}?listOptions.labelSelector=kind%3Dnightly`)).json().items).toHaveLength(1);
    expect((await inject('GET', `${BASE}?listOptions.labelSelector=kind%3Dhourly`)).json().items).toEqual([]);

    expect((await inject('PUT', `${BASE}/nightly/suspend`, {})).json().spec.suspend).toBe(true);
    expect((await inject('GET', `${BASE}/nightly`)).json().spec.suspend).toBe(true);
    expect((await inject('PUT', `${BASE}/nightly/resume`)).json().spec.suspend).toBe(false);

    const updated = await inject('PUT', `${BASE}/nightly`, { cronWorkflow: cron('nightly', { schedules: ['0 3 * * *'] }) });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ metadata: { uid: created.json().metadata.uid }, spec: { schedules: ['0 3 * * *'] } });

    const child = await server.resources.client.submitFrom('CronWorkflow', 'nightly', { namespace: 'argo' });
    expect((await inject('DELETE', `${BASE}/nightly`)).json()).toEqual({});
    expect((await inject('GET', `${BASE}/nightly`)).statusCode).toBe(404);
    expect(await server.resources.workflowStore.uidOf('argo', child.metadata.name!)).toBeFalsy();
  });

  it("refuses what the CLI refuses, naming the place: a bad schedule, a bad expression, a missing WorkflowTemplate", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ schedules: ['every day'] }, /body\.cronWorkflow.*spec\.schedules\[0\]: invalid cron schedule "every day"/],
      [{ stopStrategy: { expression: 'cronworkflow.failed >' } }, /^body\.cronWorkflow\.spec\.stopStrategy\.expression: /],
      [{ workflowSpec: { workflowTemplateRef: { name: 'absent' } } }, /^body\.cronWorkflow\.spec\.workflowSpec\.workflowTemplateRef: .*absent/],
    ];
    for (const [spec, message] of cases) {
      for (const url of [BASE, `${BASE}/lint`]) {
        const answer = await inject('POST', url, { cronWorkflow: cron('bad', spec) });
        expect(answer.statusCode).toBe(400);
        expect(answer.json().message).toMatch(message);
      }
    }
    expect((await inject('GET', `${BASE}/bad`)).statusCode).toBe(404);
    expect((await inject('POST', `${BASE}/lint`, { cronWorkflow: cron('fine') })).statusCode).toBe(200);
  });

  it('answers 409 for a taken name, 404 for an unknown one, 401 without a token and 403 for a viewer', async () => {
    await inject('POST', BASE, { cronWorkflow: cron('once') });
    expect((await inject('POST', BASE, { cronWorkflow: cron('once') })).statusCode).toBe(409);
    for (const [method, url] of [
      ['GET', `${BASE}/absent`],
      ['DELETE', `${BASE}/absent`],
      ['PUT', `${BASE}/absent/suspend`],
      ['PUT', `${BASE}/absent/resume`],
    ] as const) {
      expect((await inject(method, url)).json()).toEqual({ code: 5, message: 'CronWorkflow "absent" not found in namespace "argo"' });
    }
    expect((await inject('GET', BASE, undefined, {})).statusCode).toBe(401);
    const viewer = await server.auth('viewer', 'argo');
    expect((await inject('PUT', `${BASE}/once/suspend`, {}, viewer)).statusCode).toBe(403);
    expect((await inject('GET', `${BASE}/once`)).json().spec.suspend).toBeUndefined();
  });
});
