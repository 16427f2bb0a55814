// The client's Redis transport against a real Redis, with no scheduler: what each operation stores
// or appends, and that a refused request changes nothing.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keys, LogStore, ResourceStore } from '@regatta/store';
import { ClientError, type LogEntry } from './client.js';
import { RedisWorkflowClient } from './redis-client.js';
import { prepareWorkflow } from './submit.js';
import { REDIS_URL, removePrefix, uniquePrefix } from '../../../test/support/redis.js';

const url = REDIS_URL;
const prefix = uniquePrefix();
const SHARDS = 4;
let redis: Redis;
let client: RedisWorkflowClient;

beforeAll(() => {
  redis = new Redis(url);
  client = new RedisWorkflowClient({ redis, url, prefix, shards: SHARDS });
});

afterAll(async () => {
  await removePrefix(prefix);
  redis.disconnect();
});

const approval = (name: string) => `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: ${name}
  labels: {team: ci}
spec:
  entrypoint: approve
  templates:
    - name: approve
      suspend: {}
`;

async function create(name: string) {
  return client.createWorkflow(prepareWorkflow(approval(name), `${name}.yaml`, { shards: SHARDS }));
}

/** The controls appended for a workflow, across the shard streams. */
async function controlsOf(uid: string): Promise<unknown[]> {
  const keys = new Keys(prefix);
  const controls: unknown[] = [];
  for (let shard = 0; shard < SHARDS; shard++) {
    for (const [, fields] of await redis.xrange(keys.shard(shard).events, '-', '+')) {
      const event = JSON.parse(fields[3] ?? 'null') as { type: string; control?: unknown };
      if (fields[1] === uid && event.type === 'control') controls.push(event.control);
    }
  }
  return controls;
}

async function refusal(request: Promise<unknown>): Promise<ClientError> {
  const error = await request.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ClientError);
  return error as ClientError;
}

describe('generated names', () => {
  // Argo's own example global-parameters-from-configmap-referenced-as-local-variable has a 60-character generateName.
  it('cut a long generateName as Kubernetes does, so the name fits the 63 characters of a pod label value', async () => {
    const base = `${'a-long-generate-name-'.repeat(3)}x-`;
    const yaml = approval('unused').replace('name: unused', `generateName: ${base}`);
    const created = await client.createWorkflow(prepareWorkflow(yaml, 'long.yaml', { shards: SHARDS }));
    expect(base.length).toBeGreaterThan(58);
    expect(created.metadata.name).toHaveLength(63);
    expect(created.metadata.name!.startsWith(base.slice(0, 58))).toBe(true);
  });
});

describe('the Redis client', () => {
  it('creates a workflow that get and list then show', async () => {
    const created = await create('approval-a');
    expect(created.metadata.uid).toEqual(expect.any(String));
    const got = await client.getWorkflow('default', 'approval-a');
    expect(got.metadata).toMatchObject({ name: 'approval-a', uid: created.metadata.uid, labels: { team: 'ci' } });
    expect((await client.listWorkflows('default')).map((s) => s.name)).toContain('approval-a');
  });

  it('appends each control for the scheduler, and refuses a retry of a workflow that has not failed with the engine\'s words', async () => {
    const { metadata } = await create('approval-b');
    await client.suspendWorkflow('default', 'approval-b');
    await client.setWorkflow('default', 'approval-b', { nodeFieldSelector: 'displayName=approval-b', phase: 'Succeeded', outputParameters: { ok: 'yes' } });
    await client.stopWorkflow('default', 'approval-b', { nodeFieldSelector: 'displayName=approval-b', message: 'no' });
    const retry = await refusal(client.retryWorkflow('default', 'approval-b'));
    expect(retry).toMatchObject({ code: 'FailedPrecondition', message: 'workflow "approval-b" is Pending: only a Failed or Error workflow can be retried' });
    expect(await controlsOf(metadata.uid!)).toEqual([
      { action: 'suspend' },
      { action: 'setNode', nodeFieldSelector: 'displayName=approval-b', phase: 'Succeeded', outputParameters: { ok: 'yes' } },
      { action: 'setNode', nodeFieldSelector: 'displayName=approval-b', phase: 'Failed', message: 'no' },
    ]);
  });

  it('says which workflow is not there, for reads, controls and deletes alike', async () => {
    const message = 'workflow "absent" not found in namespace "default"';
    for (const request of [client.getWorkflow('default', 'absent'), client.terminateWorkflow('default', 'absent'), client.deleteWorkflow('default', 'absent')]) {
      expect(await refusal(request)).toMatchObject({ code: 'NotFound', message });
    }
  });

  it('submits from a stored WorkflowTemplate, resolving it, and refuses a missing one storing nothing', async () => {
    const resources = new ResourceStore(redis, prefix);
    await resources.create('WorkflowTemplate', [
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'WorkflowTemplate',
        metadata: { name: 'greet', namespace: 'default' },
        spec: { entrypoint: 'main', arguments: { parameters: [{ name: 'who', value: 'world' }] }, templates: [{ name: 'main', container: { image: 'busybox', command: ['echo', '{{workflow.parameters.who}}'] } }] },
      },
    ]);
    const workflow = await client.submitFrom('WorkflowTemplate', 'greet', { namespace: 'default', parameters: { who: 'crew' }, annotations: { note: 'from a test' } });
    const stored = await client.getWorkflow('default', workflow.metadata.name!);
    expect(stored.metadata.name).toMatch(/^greet-[a-z0-9]{5}$/);
    expect(stored.metadata.labels).toEqual({ 'workflows.argoproj.io/workflow-template': 'greet' });
    expect(stored.metadata.annotations).toEqual({ note: 'from a test' });
    expect(stored.spec.arguments?.parameters).toEqual([{ name: 'who', value: 'crew' }]);

    const before = (await client.listWorkflows('default')).length;
    expect(await refusal(client.submitFrom('WorkflowTemplate', 'nope', { namespace: 'default' }))).toMatchObject({
      code: 'NotFound',
      message: 'WorkflowTemplate "nope" not found in namespace "default"',
    });
    expect(await client.listWorkflows('default')).toHaveLength(before);
  });

  it('resubmits under a new name labelled with the original, refusing --memoized for one that has not failed', async () => {
    await create('approval-c');
    const copy = await client.resubmitWorkflow('default', 'approval-c');
    const stored = await client.getWorkflow('default', copy.metadata.name!);
    expect(stored.metadata.labels).toEqual({ team: 'ci', 'workflows.argoproj.io/resubmitted-from-workflow': 'approval-c' });
    expect(await refusal(client.resubmitWorkflow('default', 'approval-c', { memoized: true }))).toMatchObject({ code: 'FailedPrecondition' });
  });

  it('reads node output in order (a node not yet known shown by its id), one node only when asked, and deletes it with the workflow', async () => {
    const { metadata } = await create('approval-d');
    const nodeId = 'approval-d';
    await new LogStore(redis, new Keys(prefix)).append(metadata.uid!, [
      { nodeId, stream: 'stdout', line: 'first' },
      { nodeId: 'approval-d-123', stream: 'stderr', line: 'other' },
    ]);
    const all: LogEntry[] = [];
    await client.workflowLogs('default', 'approval-d', (entry) => all.push(entry));
    const time = expect.stringMatching(/^\d{4}-\d\d-\d\dT/);
    expect(all).toEqual([
      { nodeId, displayName: nodeId, podName: nodeId, container: 'main', time, content: 'first' },
      { nodeId: 'approval-d-123', displayName: 'approval-d-123', podName: 'approval-d-123', container: 'main', time, content: 'other' },
    ]);
    const one: LogEntry[] = [];
    await client.workflowLogs('default', 'approval-d', (entry) => one.push(entry), { nodeId });
    expect(one.map((e) => e.content)).toEqual(['first']);

    await client.deleteWorkflow('default', 'approval-d');
    expect(await refusal(client.getWorkflow('default', 'approval-d'))).toMatchObject({ code: 'NotFound' });
    expect(await redis.exists(new Keys(prefix).workflow(metadata.uid!).logs)).toBe(0);
  });
});
