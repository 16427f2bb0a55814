// The server in front of a running system (scheduler and worker processes): a workflow created over
// HTTP runs; HttpWorkflowClient watches it to the end, holding every node across the watch's deltas,
// and reads its logs with Argo's pod names; the same answers as the Redis transport gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpWorkflowClient, prepareWorkflow, RedisWorkflowClient, type LogEntry } from '@regatta/client';
import type { Workflow } from '@regatta/spec';
import { Redis } from 'ioredis';
import { startService, stopService } from './support/cli.js';
import { freePort } from './support/free-port.js';
import { REDIS_URL, removePrefix, uniquePrefix } from './support/redis.js';
import { until } from './support/until.js';

const prefix = uniquePrefix();
const services: ReturnType<typeof startService>[] = [];
let http: HttpWorkflowClient;
let redis: Redis;
let local: RedisWorkflowClient;

beforeAll(async () => {
  const port = await freePort();
  services.push(startService(['scheduler'], prefix, { LOG_LEVEL: 'warn' }));
  services.push(startService(['worker', '--concurrency', '4'], prefix, { LOG_LEVEL: 'warn' }));
  services.push(startService(['server', '--port', String(port), '--auth-mode', 'server'], prefix, { LOG_LEVEL: 'warn' }));
  const baseUrl = `http://127.0.0.1:${port}`;
  await until('the server', () => fetch(`${baseUrl}/readyz`).then((r) => r.ok, () => false));
  http = new HttpWorkflowClient({ baseUrl });
  redis = new Redis(REDIS_URL);
  local = new RedisWorkflowClient({ redis, url: REDIS_URL, prefix, shards: 4 });
});

afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  redis.disconnect();
  await removePrefix(prefix);
});

const FAN_OUT = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: fan}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: say, template: say, arguments: {parameters: [{name: n, value: "{{item}}"}]}, withItems: [1, 2, 3]}
  - name: say
    inputs: {parameters: [{name: n}]}
    container: {image: busybox, command: [sh, -c, "sleep 0.2; echo line {{inputs.parameters.n}}"]}
`;

describe('the server in front of a running system', () => {
  it('runs a workflow created over HTTP, watched to the end with every node, with logs by pod name', async () => {
    const workflow = prepareWorkflow(FAN_OUT, 'fan.yaml', { namespace: 'default', shards: 4 });
    await http.createWorkflow(workflow);
    const seen: Workflow[] = [];
    const final = await http.watchWorkflow('default', 'fan', (each) => seen.push(each));
    expect(final.status?.phase).toBe('Succeeded');
    expect(seen.length).toBeGreaterThan(1);
    const direct = await local.getWorkflow('default', 'fan');
    expect(Object.keys(final.status!.nodes!).sort()).toEqual(Object.keys(direct.status!.nodes!).sort());
    expect(final.status!.nodes).toEqual(direct.status!.nodes);

    const entries: LogEntry[] = [];
    await http.workflowLogs('default', 'fan', (entry) => entries.push(entry));
    expect(entries.map((entry) => entry.content).sort()).toEqual(['line 1', 'line 2', 'line 3']);
    for (const entry of entries) expect(entry.podName).toMatch(/^fan-say-\d+$/);
    expect((await http.listWorkflows('default')).map(({ name, phase }) => ({ name, phase }))).toEqual((await local.listWorkflows('default')).map(({ name, phase }) => ({ name, phase })));
  });
});
