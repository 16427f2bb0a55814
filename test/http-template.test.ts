// HTTP templates through `regatta run`, against a server on loopback started by the test.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeStatus, Workflow } from '@regatta/spec';
import { regatta } from './support/cli.js';
import { removePrefix, uniquePrefix } from './support/redis.js';

const prefix = uniquePrefix();
const dir = mkdtempSync(join(tmpdir(), 'regatta-http-'));
let server: Server;
let base = '';
const seen: { method?: string; header?: string; body: string }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push({ method: request.method, header: request.headers['x-token'] as string | undefined, body });
      if (request.url === '/missing') response.writeHead(404).end('not here');
      else response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ greeting: 'hello', got: body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  server.close();
  await removePrefix(prefix);
});

async function run(yaml: string): Promise<{ code: number | null; workflow: Workflow; nodes: NodeStatus[] }> {
  const file = join(dir, `wf-${seen.length}-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  const result = await regatta(['run', file, '-o', 'json'], prefix);
  expect(result.stderr).toBe('');
  const workflow = JSON.parse(result.stdout) as Workflow;
  return { code: result.code, workflow, nodes: Object.values(workflow.status?.nodes ?? {}) };
}

const http = (spec: string) => `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: http-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: call, template: call}
    - - name: show
        template: show
        arguments: {parameters: [{name: got, value: "{{steps.call.outputs.result}}"}]}
  - name: call
    http:
${spec}
  - name: show
    inputs: {parameters: [{name: got}]}
    container: {image: busybox, command: [echo, "{{=jsonpath(inputs.parameters.got, '$.greeting')}}"]}
`;

describe('http templates', () => {
  it('makes the request with method, headers and body; the response body is the result', async () => {
    const { code, nodes } = await run(
      http(`      url: "${base}/greet"
      method: POST
      headers: [{name: x-token, value: secret}]
      body: "ping"
      successCondition: "response.statusCode == 201 && response.body contains 'hello'"`),
    );
    expect(code).toBe(0);
    expect(nodes.find((n) => n.displayName === 'call')).toMatchObject({ type: 'HTTP', phase: 'Succeeded' });
    expect(nodes.find((n) => n.displayName === 'show')?.outputs?.result).toBe('hello');
    expect(seen.at(-1)).toEqual({ method: 'POST', header: 'secret', body: 'ping' });
  });

  it('fails the node on an error status, or when successCondition does not hold', async () => {
    const missing = await run(http(`      url: "${base}/missing"`));
    expect(missing.code).toBe(1);
    expect(missing.nodes.find((n) => n.displayName === 'call')).toMatchObject({ phase: 'Failed', message: 'received non-2xx response code: 404' });
    const unmet = await run(http(`      url: "${base}/greet"\n      successCondition: "response.statusCode == 200"`));
    expect(unmet.nodes.find((n) => n.displayName === 'call')?.message).toBe('successCondition "response.statusCode == 200" evaluated false');
  });

  it("refuses the cloud metadata address before connecting, by the worker's default policy", async () => {
    const { code, nodes } = await run(http('      url: "http://169.254.169.254/latest/meta-data/iam/security-credentials/"'));
    expect(code).toBe(1);
    expect(nodes.find((n) => n.displayName === 'call')).toMatchObject({ phase: 'Error', message: expect.stringMatching(/^http request to http:\/\/169\.254\.169\.254\/.* refused: 169\.254\.169\.254 is in a range this worker does not reach/) });
  });
});
