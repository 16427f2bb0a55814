// HttpWorkflowClient (@regatta/client) against this server over a real socket: the same operations
// as the Redis transport, Argo's errors as the client's, and a watch that merges node deltas.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientError, HttpStatusError, HttpWorkflowClient, prepareWorkflow } from '@regatta/client';
import type { NodeStatus, Workflow } from '@regatta/spec';
import { LogStore } from '@regatta/store';
import { startTestServer, suspendWorkflow, type TestServer } from '../test-support.js';

let server: TestServer;
let client: HttpWorkflowClient;

beforeAll(async () => {
  server = await startTestServer();
  const baseUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const { authorization } = await server.auth('editor', 'argo');
  client = new HttpWorkflowClient({ baseUrl, token: authorization.slice('Bearer '.length) });
});
afterAll(() => server.close());

const prepared = (name: string) => prepareWorkflow(JSON.stringify(suspendWorkflow(name)), `${name}.yaml`, { namespace: 'argo', shards: 2 });
const node = (id: string, phase: NodeStatus['phase']): NodeStatus => ({ id, name: id, displayName: id, type: 'Pod', phase });

describe('HttpWorkflowClient', () => {
  it('creates, lists, gets, controls and deletes', async () => {
    const created = await client.createWorkflow(prepared('over-http'));
    expect(created.metadata.name).toBe('over-http');
    await client.lintWorkflow(prepared('linted'));
    expect((await client.listWorkflows('argo')).map((summary) => summary.name)).toEqual(['over-http']);
    expect((await client.getWorkflow('argo', 'over-http')).metadata.uid).toBe(created.metadata.uid);
    await client.suspendWorkflow('argo', 'over-http');
    await client.setWorkflow('argo', 'over-http', { nodeFieldSelector: 'displayName=x', outputParameters: { a: 'b' } });
    await expect(client.retryWorkflow('argo', 'over-http')).rejects.toMatchObject({ code: 'FailedPrecondition' });
    await client.deleteWorkflow('argo', 'over-http');
    await expect(client.getWorkflow('argo', 'over-http')).rejects.toBeInstanceOf(ClientError);
    await expect(client.getWorkflow('other', 'x')).rejects.toBeInstanceOf(HttpStatusError);
  });

  it('watches until the workflow ends, holding every node across deltas', async () => {
    const uid = randomUUID();
    const workflow: Workflow = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'watched', namespace: 'argo', uid }, spec: { entrypoint: 'main', templates: [] } };
    await server.resources.workflowStore.create({ ...workflow, status: { phase: 'Running', nodes: { a: node('a', 'Running'), b: node('b', 'Running') } } }, 0);
    const seen: Workflow[] = [];
    const watching = client.watchWorkflow('argo', 'watched', (each) => seen.push(each));
    const store = server.resources.workflowStore;
    while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await store.apply({ uid, epoch: 1, version: 0, status: { phase: 'Running' }, nodes: [node('a', 'Succeeded')], commands: [] });
    await store.apply({ uid, epoch: 1, version: 1, status: { phase: 'Succeeded' }, nodes: [node('b', 'Succeeded')], commands: [] });
    const final = await watching;
    expect(final.status?.phase).toBe('Succeeded');
    expect(Object.values(final.status!.nodes!).map((n) => n.phase)).toEqual(['Succeeded', 'Succeeded']);

    const logs = new LogStore(server.resources.redis, server.resources.keys);
    await logs.append(uid, [{ nodeId: 'a', stream: 'stdout', line: 'hello' }]);
    const entries: string[] = [];
    await client.workflowLogs('argo', 'watched', (entry) => entries.push(`${entry.displayName}: ${entry.content}`), { follow: true });
    expect(entries).toEqual(['a: hello']);
  });
});
