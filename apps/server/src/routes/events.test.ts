// The events paths over HTTP against a real Redis, with no scheduler: an event is answered `{}` at once
// and submits, shortly after, a workflow from each matching binding's template with the parameter taken
// from the payload; bindings are listed by label; sending needs the right to create in the namespace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkflowEventBindings, type WorkflowTemplate } from '@regatta/spec';
import { createLogger } from '@regatta/telemetry';
import { buildServer } from '../app.js';
import { openServerResources } from '../resources.js';
import { startTestServer, type TestServer } from '../../test-support.js';
import { REDIS_URL, uniquePrefix } from '../../../../test/support/redis.js';
import { until } from '../../../../test/support/until.js';

let server: TestServer;
let editor: { authorization: string };

const TEMPLATE: WorkflowTemplate = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'WorkflowTemplate',
  metadata: { name: 'my-wf-tmple', namespace: 'argo' },
  spec: {
    entrypoint: 'main',
    arguments: { parameters: [{ name: 'message' }] },
    templates: [{ name: 'main', container: { image: 'busybox', command: ['echo', '{{workflow.parameters.message}}'] } }],
  },
};

// Argo's example binding (docs/events.md), with a label to select it by.
const BINDING = `apiVersion: argoproj.io/v1alpha1
kind: WorkflowEventBinding
metadata: {name: event-consumer, namespace: argo, labels: {source: github}}
spec:
  event:
    selector: payload.message != "" && metadata["x-argo-e2e"] == ["true"] && discriminator == "my-discriminator"
  submit:
    workflowTemplateRef: {name: my-wf-tmple}
    arguments:
      parameters:
      - name: message
        valueFrom: {event: payload.message}
`;

beforeAll(async () => {
  server = await startTestServer();
  editor = await server.auth('editor', 'argo');
  await server.resources.resourceStore.create('WorkflowTemplate', [TEMPLATE]);
  await server.resources.resourceStore.create('WorkflowEventBinding', loadWorkflowEventBindings(BINDING, 'binding.yaml'));
});
afterAll(() => server.close());

const send = (url: string, payload: string, headers: Record<string, string> = editor) =>
  server.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload });

const workflows = () => server.resources.client.listWorkflows('argo');

describe('events over HTTP', () => {
  it("submits the bound template with the payload's message, as curl sends it (a form content type)", async () => {
    const answer = await server.app.inject({
      method: 'POST',
      url: '/api/v1/events/argo/my-discriminator',
      headers: { ...editor, 'X-Argo-E2E': 'true', 'content-type': 'application/x-www-form-urlencoded' },
      payload: '{"message": "hello events"}',
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({});
    const [summary] = await until('the workflow submitted by the event', async () => {
      const listed = await workflows();
      return listed.length > 0 && listed;
    });
    const workflow = await server.resources.client.getWorkflow('argo', summary!.name);
    expect(workflow.metadata.labels).toEqual({
      'workflows.argoproj.io/workflow-template': 'my-wf-tmple',
      'workflows.argoproj.io/workflow-event-binding': 'event-consumer',
    });
    expect(workflow.spec.arguments?.parameters).toEqual([{ name: 'message', value: 'hello events' }]);
  });

  it('answers 200 and submits nothing for an event no binding matches, with or without a discriminator', async () => {
    const before = (await workflows()).length;
    for (const url of ['/api/v1/events/argo/', '/api/v1/events/argo', '/api/v1/events/argo/other']) {
      expect((await send(url, '{"message": "hi"}', { ...editor, 'x-argo-e2e': 'true' })).statusCode).toBe(200);
    }
    // Which events match is the dispatcher's test (packages/client); here, only the one that matches submits.
    await send('/api/v1/events/argo/my-discriminator', '{"message": "last"}', { ...editor, 'x-argo-e2e': 'true' });
    const listed = await until('the matching event handled', async () => {
      const all = await workflows();
      return all.length === before + 1 && all;
    });
    const messages = await Promise.all(listed.map(async ({ name }) => (await server.resources.client.getWorkflow('argo', name)).spec.arguments?.parameters?.[0]?.value));
    expect(messages.toSorted()).toEqual(['hello events', 'last']);
  });

  it('answers 400 for a payload that is not JSON, 401 without a token and 403 for a viewer or another namespace', async () => {
    const bad = await send('/api/v1/events/argo/my-discriminator', '{"message": ');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 3 });
    const form = await server.app.inject({ method: 'POST', url: '/api/v1/events/argo/x', headers: { ...editor, 'content-type': 'text/plain' }, payload: 'not json' });
    expect(form.json()).toEqual({ code: 3, message: 'body: the event payload must be JSON' });
    expect((await send('/api/v1/events/argo/x', '{}', {})).statusCode).toBe(401);
    expect((await send('/api/v1/events/argo/x', '{}', await server.auth('viewer', 'argo'))).statusCode).toBe(403);
    expect((await send('/api/v1/events/argo/x', '{}', await server.auth('editor', 'other'))).statusCode).toBe(403);
  });

  it('lists the namespace\'s bindings, by label too, to whoever may list there', async () => {
    const list = (query: string, headers = editor) => server.app.inject({ method: 'GET', url: `/api/v1/workflow-event-bindings/argo${query}`, headers });
    expect((await list('')).json().items.map((b: { metadata: { name: string } }) => b.metadata.name)).toEqual(['event-consumer']);
    expect((await list('?listOptions.labelSelector=source%3Dgitlab')).json()).toEqual({ metadata: {}, items: [] });
    expect((await list('?listOptions.labelSelector=source%20in')).statusCode).toBe(400);
    expect((await list('', await server.auth('viewer', 'argo'))).statusCode).toBe(200);
    expect((await list('', {} as typeof editor)).statusCode).toBe(401);
    expect((await list('', await server.auth('viewer', 'other'))).statusCode).toBe(403);
  });
});

describe('a full event queue', () => {
  it('answers 503, and the sender may send again later', async () => {
    const resources = openServerResources({ redisUrl: REDIS_URL, prefix: uniquePrefix(), shards: 2, authMode: 'server', logger: createLogger('events-test', { level: 'silent' }) });
    // A queue that holds nothing is always full.
    const app = await buildServer({ ...resources, eventQueue: { capacity: 0 } });
    try {
      const answer = await app.inject({ method: 'POST', url: '/api/v1/events/argo/x', headers: { 'content-type': 'application/json' }, payload: '{}' });
      expect(answer.statusCode).toBe(503);
      expect(answer.json()).toEqual({ code: 14, message: 'the event queue is full; send the event again later' });
    } finally {
      await app.close();
      await resources.close();
    }
  });
});
