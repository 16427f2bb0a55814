// The streaming paths over a real socket: the watch of one workflow and of a namespace (the whole
// workflow once, then only the nodes that changed), logs followed until the workflow ends, and
// streams ended by the server's close. Transitions are written through the store, as a scheduler does.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeId, type NodeStatus, type Workflow } from '@regatta/spec';
import { LogStore } from '@regatta/store';
import { readStream, startTestServer, type TestServer } from '../../test-support.js';

let server: TestServer;
let base: string;
let viewer: Record<string, string>;

beforeAll(async () => {
  server = await startTestServer();
  base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  viewer = await server.auth('viewer', 'argo');
});
afterAll(() => server.close());

const node = (id: string, phase: NodeStatus['phase'] = 'Running'): NodeStatus => ({ id, name: id, displayName: id, type: 'Pod', phase, templateName: 'main' });
/** A node named as Argo names it: its id and pod name end in the hash of its name. */
const argoNode = (workflowName: string, name: string): NodeStatus => ({ ...node(nodeId(workflowName, name)), name, displayName: name });

/** A stored workflow of `nodeCount` running nodes, as the scheduler would have written it. */
async function storedWorkflow(name: string, nodeCount: number, given?: NodeStatus[]): Promise<string> {
  const uid = randomUUID();
  const workflow: Workflow = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name, namespace: 'argo', uid, creationTimestamp: new Date().toISOString() }, spec: { entrypoint: 'main', templates: [] } };
  const nodes = Object.fromEntries((given ?? Array.from({ length: nodeCount }, (_, i) => node(`${name}-${i}`))).map((each) => [each.id, each]));
  await server.resources.workflowStore.create({ ...workflow, status: { phase: 'Running', nodes } }, 0);
  return uid;
}

let versions = new Map<string, number>();
async function transition(uid: string, nodes: NodeStatus[], phase: 'Running' | 'Succeeded' = 'Running'): Promise<void> {
  const version = versions.get(uid) ?? 0;
  await server.resources.workflowStore.apply({ uid, epoch: 1, version, status: { phase, ...(phase === 'Succeeded' && { finishedAt: new Date().toISOString() }) }, nodes, commands: [] });
  versions.set(uid, version + 1);
}

type Result = { type: string; object: Workflow & { status: { nodes: Record<string, NodeStatus>; phase: string } }; replace?: boolean };

describe('the workflow watch', () => {
  it('sends a 10,000-node workflow whole once, then only the nodes that changed', async () => {
    const uid = await storedWorkflow('huge', 10_000);
    const stream = readStream(`${base}/api/v1/workflow-events/argo?listOptions.fieldSelector=metadata.name%3Dhuge`, viewer);
    const added = (await stream.next()) as Result;
    expect(added.type).toBe('ADDED');
    expect(Object.keys(added.object.status.nodes)).toHaveLength(10_000);

    await transition(uid, [node('huge-7', 'Succeeded'), node('huge-new')]);
    const modified = (await stream.next()) as Result;
    expect(modified.type).toBe('MODIFIED');
    expect(modified.replace).toBeUndefined();
    expect(Object.keys(modified.object.status.nodes).sort()).toEqual(['huge-7', 'huge-new']);
    expect(modified.object.status.nodes['huge-7']!.phase).toBe('Succeeded');
    expect(modified.object.metadata.name).toBe('huge');
    // The spec did not change: it is not sent again.
    expect(modified.object.spec).toBeUndefined();

    await transition(uid, [], 'Succeeded');
    const ended = (await stream.next()) as Result;
    expect(ended.object.status.phase).toBe('Succeeded');
    expect(ended.object.status.nodes).toEqual({});
    stream.close();
  });

  it('gives a second watcher of the same workflow the whole of it, as now known', async () => {
    const uid = await storedWorkflow('shared', 3);
    const first = readStream(`${base}/api/v1/workflow-events/argo?listOptions.fieldSelector=metadata.name%3Dshared`, viewer);
    await first.next();
    await transition(uid, [node('shared-1', 'Failed')]);
    await first.next();
    const second = readStream(`${base}/api/v1/workflow-events/argo?listOptions.fieldSelector=metadata.name%3Dshared`, viewer, false);
    const added = (await second.next()) as Result;
    expect(added.type).toBe('ADDED');
    expect(added.object.status.nodes['shared-1']!.phase).toBe('Failed');
    expect(Object.keys(added.object.status.nodes)).toHaveLength(3);
    first.close();
    second.close();
  });

  it('watches a namespace: the workflows there, and those created later', async () => {
    await storedWorkflow('ns-old', 1);
    const stream = readStream(`${base}/api/v1/workflow-events/argo`, viewer);
    const seen = new Set<string>();
    while (!seen.has('ns-old')) seen.add(((await stream.next()) as Result).object.metadata.name!);
    const uid = await storedWorkflow('ns-new', 1);
    await transition(uid, [node('ns-new-0', 'Succeeded')]);
    for (;;) {
      const result = (await stream.next()) as Result;
      if (result.object.metadata.name === 'ns-new') {
        expect(result.type).toBe('ADDED');
        break;
      }
    }
    stream.close();
  });

  it('sends DELETED when the watched workflow is deleted, and ends a one-workflow watch', async () => {
    await storedWorkflow('doomed', 1);
    const stream = readStream(`${base}/api/v1/workflow-events/argo?listOptions.fieldSelector=metadata.name%3Ddoomed`, viewer);
    expect(((await stream.next()) as Result).type).toBe('ADDED');
    const editor = await server.auth('editor', 'argo');
    expect((await server.app.inject({ method: 'DELETE', url: '/api/v1/workflows/argo/doomed', headers: editor })).statusCode).toBe(200);
    const deleted = (await stream.next()) as Result;
    expect(deleted.type).toBe('DELETED');
    expect(deleted.object.metadata.name).toBe('doomed');
    await stream.done;
  });

  it('answers 404 for an unknown workflow and 401/403 before any stream opens', async () => {
    const url = `${base}/api/v1/workflow-events/argo?listOptions.fieldSelector=metadata.name%3Dnope`;
    expect((await fetch(url, { headers: viewer })).status).toBe(404);
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(`${base}/api/v1/workflow-events/other`, { headers: viewer })).status).toBe(403);
    expect((await fetch(`${base}/api/v1/workflow-events/argo?listOptions.labelSelector=a%20in%20b`, { headers: viewer })).status).toBe(400);
  });
});

describe('workflow logs', () => {
  it('follows the logs until the workflow ends, with pod names, grep and a tail', async () => {
    const [zero, one] = [argoNode('logged', 'logged[0].zero'), argoNode('logged', 'logged[1].one')];
    const uid = await storedWorkflow('logged', 2, [zero!, one!]);
    const logs = new LogStore(server.resources.redis, server.resources.keys);
    await logs.append(uid, [
      { nodeId: zero!.id, stream: 'stdout', line: 'zero one' },
      { nodeId: zero!.id, stream: 'stdout', line: 'zero two' },
      { nodeId: one!.id, stream: 'stdout', line: 'one one' },
    ]);
    const stream = readStream(`${base}/api/v1/workflows/argo/logged/log?logOptions.follow=true&logOptions.tailLines=1`, viewer);
    const first = [await stream.next(), await stream.next()];
    expect(first).toEqual(
      expect.arrayContaining([
        { content: 'zero two', podName: expect.stringMatching(/^logged-main-\d+$/), nodeId: zero!.id, displayName: 'logged[0].zero', time: expect.any(String) },
        expect.objectContaining({ content: 'one one' }),
      ]),
    );
    await logs.append(uid, [{ nodeId: one!.id, stream: 'stdout', line: 'later' }]);
    expect(await stream.next()).toMatchObject({ content: 'later' });
    await transition(uid, [], 'Succeeded');
    await stream.done;

    const grepped = readStream(`${base}/api/v1/workflows/argo/logged/log?grep=^zero&podName=${String(first[0]!.podName)}`, viewer, false);
    expect(await grepped.next()).toMatchObject({ content: 'zero one' });
    expect(await grepped.next()).toMatchObject({ content: 'zero two' });
    await grepped.done;

    const stamped = readStream(`${base}/api/v1/workflows/argo/logged/log?logOptions.timestamps=true&logOptions.sinceSeconds=3600&grep=later`, viewer, false);
    expect((await stamped.next()).content).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z later$/);
    await stamped.done;
    const future = readStream(`${base}/api/v1/workflows/argo/logged/log?logOptions.sinceTime.seconds=${Math.ceil(Date.now() / 1000) + 60}`, viewer, false);
    await future.done;
    await expect(future.next()).rejects.toThrow('stream ended');
  });

  it('answers 404 for an unknown workflow and 400 for a bad grep', async () => {
    expect((await fetch(`${base}/api/v1/workflows/argo/nope/log`, { headers: viewer })).status).toBe(404);
    expect((await fetch(`${base}/api/v1/workflows/argo/logged/log?grep=(`, { headers: viewer })).status).toBe(400);
  });
});

describe('shutdown', () => {
  it('ends open streams when the server closes', async () => {
    const own = await startTestServer();
    const url = await own.app.listen({ port: 0, host: '127.0.0.1' });
    await own.resources.workflowStore.create(
      { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'open', namespace: 'argo', uid: randomUUID() }, spec: { entrypoint: 'main', templates: [] }, status: { phase: 'Running', nodes: {} } },
      0,
    );
    const stream = readStream(`${url}/api/v1/workflow-events/argo`, await own.auth('viewer'));
    await stream.next();
    await own.close();
    await stream.done;
  });
});
