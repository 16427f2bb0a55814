// The HTTP executor's bounds, against servers on loopback started here: the response cap, the egress
// policy (checked before any connection, on every resolved address and after redirects), redirects.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HttpRequestSpec, NodeJob } from '@regatta/spec';
import { EgressPolicy, egressPolicyFromEnv } from './egress-policy.js';
import { HttpExecutor } from './http-executor.js';

let server: Server;
let base = '';
let connections = 0;
let handle: (request: IncomingMessage, response: ServerResponse) => void = (_, response) => response.end('ok');

beforeAll(async () => {
  server = createServer((request, response) => handle(request, response));
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterEach(() => {
  handle = (_, response) => response.end('ok');
  server.closeAllConnections();
});

afterAll(() => {
  server.close();
});

function run(http: HttpRequestSpec, executor = new HttpExecutor()) {
  const job = { nodeId: 'n', nodeName: 'n', attempt: 0, templateName: 'call', workflow: { name: 'w', namespace: 'default', uid: 'u' }, container: {}, http } as unknown as NodeJob;
  return executor.run(job, { signal: new AbortController().signal, onLog: () => undefined });
}

describe('the response body', () => {
  it('is read up to the cap and no further: an endless body fails the node', async () => {
    let written = 0;
    handle = (_, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = 'x'.repeat(16 * 1024);
      const write = (): void => {
        while (!response.destroyed && response.write(chunk)) written += chunk.length;
        if (!response.destroyed) response.once('drain', write);
      };
      write();
    };
    const result = await run({ url: `${base}/endless` }, new HttpExecutor({ maxResponseBytes: 64 * 1024 }));
    expect(result).toMatchObject({ phase: 'Error', message: `http request to ${base}/endless refused: response body is over the limit of 65536 bytes` });
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('is refused at once when its declared length is over the cap', async () => {
    handle = (_, response) => response.writeHead(200, { 'content-length': String(1 << 20) }).write('x');
    const result = await run({ url: `${base}/big` }, new HttpExecutor({ maxResponseBytes: 1000 }));
    expect(result.message).toBe(`http request to ${base}/big refused: response body is over the limit of 1000 bytes`);
  });

  it('within the cap becomes the result', async () => {
    const result = await run({ url: `${base}/small`, successCondition: 'response.body == "ok" && response.statusCode == 200' });
    expect(result).toMatchObject({ phase: 'Succeeded', outputs: { result: 'ok' } });
  });
});

describe('the egress policy', () => {
  it('refuses the cloud metadata address by default, before any connection', async () => {
    const result = await run({ url: 'http://169.254.169.254/latest/meta-data/' });
    expect(result.phase).toBe('Error');
    expect(result.message).toMatch(/^http request to http:\/\/169\.254\.169\.254\/latest\/meta-data\/ refused: 169\.254\.169\.254 is in a range this worker does not reach/);
  });

  it.each(['http://2852039166/', 'http://0xA9.0xFE.0xA9.0xFE/', 'http://[fd00:ec2::254]/', 'http://[fe80::1]/', 'http://[::ffff:169.254.169.254]/', 'http://100.100.100.200/latest/meta-data/', 'http://metadata.google.internal/computeMetadata/v1/'])('refuses %s by default', async (url) => {
    expect((await run({ url })).message).toMatch(/refused: /);
  });

  it('checks every address a name resolves to, before connecting', async () => {
    const executor = new HttpExecutor({ egress: new EgressPolicy({ deny: ['127.0.0.0/8', '::1'] }) });
    const before = connections;
    const byName = await run({ url: base.replace('127.0.0.1', 'localhost') }, executor);
    expect(byName.message).toMatch(/refused: localhost: (127\.0\.0\.1|::1) is in a range this worker does not reach/);
    const byAddress = await run({ url: base }, executor);
    expect(byAddress.message).toMatch(/refused: 127\.0\.0\.1 is in a range/);
    expect(connections).toBe(before);
  });

  it('checks where a redirect leads', async () => {
    handle = (_, response) => response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/iam/' }).end();
    const result = await run({ url: `${base}/go` });
    expect(result.message).toMatch(/^http request to .*\/go refused: 169\.254\.169\.254 is in a range/);
  });

  it('lets an operator exempt a range, and reads its lists once from the environment', async () => {
    const policy = egressPolicyFromEnv({ REGATTA_HTTP_DENY: '10.0.0.0/8, 127.0.0.0/8', REGATTA_HTTP_ALLOW: '127.0.0.1/32' });
    expect(policy.refuseAddress('10.1.2.3')).toBeDefined();
    expect(policy.refuseAddress('169.254.169.254')).toBeDefined();
    expect(policy.refuseAddress('127.0.0.2')).toBeDefined();
    expect((await run({ url: `${base}/ok` }, new HttpExecutor({ egress: policy }))).phase).toBe('Succeeded');
    expect(() => egressPolicyFromEnv({ REGATTA_HTTP_ALLOW: '10.0.0.0/33' })).toThrow('REGATTA_HTTP_ALLOW: "10.0.0.0/33" is not an IP address or CIDR range');
    expect(() => egressPolicyFromEnv({ REGATTA_HTTP_DENY: 'example.com' })).toThrow('REGATTA_HTTP_DENY: "example.com" is not an IP address or CIDR range');
  });
});

describe('redirects', () => {
  it('are followed as Go follows them: a POST answered 303 goes on as a GET without its body', async () => {
    const seen: string[] = [];
    handle = (request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push(`${request.method} ${request.url} ${request.headers['content-length'] ?? '-'} ${body}`);
        if (request.url === '/from') response.writeHead(303, { location: '/to' }).end();
        else response.end('arrived');
      });
    };
    const result = await run({ url: `${base}/from`, method: 'POST', body: 'payload' });
    expect(result).toMatchObject({ phase: 'Succeeded', outputs: { result: 'arrived' } });
    expect(seen).toEqual(['POST /from 7 payload', 'GET /to - ']);
  });

  it('stop after ten', async () => {
    handle = (request, response) => response.writeHead(302, { location: `/r${request.url}` }).end();
    expect((await run({ url: `${base}/loop` })).message).toBe(`http request to ${base}/loop refused: stopped after 10 redirects`);
  });
});

describe('headers from Secrets', () => {
  const secrets: Record<string, Record<string, Buffer>> = { 'default/api': { token: Buffer.from('S3cretTok3n') } };
  const sources = { configMap: async () => undefined, secret: async (namespace: string, name: string) => secrets[`${namespace}/${name}`] };
  const executor = new HttpExecutor({ sources });
  const fromSecret = (key: string, optional?: boolean) => ({ name: 'X-Token', valueFrom: { secretKeyRef: { name: 'api', key, ...(optional !== undefined && { optional }) } } });

  it("are sent with the Secret key's value, beside written ones", async () => {
    const seen: Record<string, string | undefined> = {};
    handle = (request, response) => {
      Object.assign(seen, { token: request.headers['x-token'], plain: request.headers['x-plain'] });
      response.end('ok');
    };
    const result = await run({ url: `${base}/auth`, headers: [fromSecret('token'), { name: 'X-Plain', value: 'p' }] }, executor);
    expect(result.phase).toBe('Succeeded');
    expect(seen).toEqual({ token: 'S3cretTok3n', plain: 'p' });
  });

  it('fail the node naming the Secret and key when missing, and are left out when optional', async () => {
    const before = connections;
    const missing = await run({ url: `${base}/auth`, headers: [fromSecret('absent')] }, executor);
    expect(missing).toMatchObject({ phase: 'Error', message: `header "X-Token": couldn't find key absent in Secret default/api` });
    expect(connections).toBe(before);
    let sent: string | undefined = 'unset';
    handle = (request, response) => {
      sent = request.headers['x-token'] as string | undefined;
      response.end('ok');
    };
    expect((await run({ url: `${base}/auth`, headers: [fromSecret('absent', true)] }, executor)).phase).toBe('Succeeded');
    expect(sent).toBeUndefined();
  });

  it("never repeat the value in the node's message", async () => {
    const result = await run({ url: `${base}/auth`, headers: [fromSecret('token')], successCondition: 'int(request.headers["X-Token"][0]) > 1' }, executor);
    expect(result.phase).toBe('Error');
    expect(result.message).toContain('int(<redacted>)');
    expect(result.message).not.toContain('S3cretTok3n');
  });

  it('go over HTTPS to a self-signed server only with insecureSkipVerify', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regatta-https-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', 'key.pem', '-out', 'cert.pem'], { cwd: dir, stdio: 'ignore' });
    let token: string | undefined;
    const https = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (request, response) => {
      token = request.headers['x-token'] as string | undefined;
      response.end('ok');
    });
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(https.address() as { port: number }).port}/`;
    try {
      const refused = await run({ url, headers: [fromSecret('token')] }, executor);
      expect(refused).toMatchObject({ phase: 'Error', message: `http request to ${url} failed: self-signed certificate` });
      expect(token).toBeUndefined();
      const accepted = await run({ url, headers: [fromSecret('token')], insecureSkipVerify: true }, executor);
      expect(accepted).toMatchObject({ phase: 'Succeeded', outputs: { result: 'ok' } });
      expect(token).toBe('S3cretTok3n');
    } finally {
      https.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are refused on a worker given no Secret store', async () => {
    const result = await run({ url: `${base}/auth`, headers: [fromSecret('token')] });
    expect(result).toMatchObject({ phase: 'Error', message: 'header "X-Token": cannot read Secret default/api: this worker has no Secret store' });
  });
});
