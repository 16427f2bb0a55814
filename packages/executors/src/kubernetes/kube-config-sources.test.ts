// ConfigMaps and Secrets read through the API (Kubernetes mode's sources), against a local HTTP server
// that answers the two paths as the API server does.
import { createServer, type Server } from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readKey, secretSourceOf } from '../config-sources/config-sources.js';
import { KubeClient } from './kube-client.js';
import { KubeConfigSources } from './kube-config-sources.js';

const objects: Record<string, object> = {
  '/api/v1/namespaces/team/secrets/api': { kind: 'Secret', data: { token: Buffer.from('S3cretTok3n').toString('base64') } },
  '/api/v1/namespaces/team/configmaps/settings': { kind: 'ConfigMap', data: { greeting: 'hello' }, binaryData: { raw: Buffer.from([1, 2]).toString('base64') } },
};
let server: Server;
let sources: KubeConfigSources;

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0]!;
    if (path === '/api/v1/namespaces/locked/secrets/api') return response.writeHead(403, { 'content-type': 'application/json' }).end('{"kind":"Status","code":403,"message":"forbidden: S3cretTok3n"}');
    const found = objects[path];
    response.writeHead(found ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(found ?? { kind: 'Status', code: 404 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'local', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'me' }],
    contexts: [{ name: 'local', cluster: 'local', user: 'me' }],
    currentContext: 'local',
  });
  sources = new KubeConfigSources(new KubeClient({ retry: { attempts: 1 } }, config));
});

afterAll(() => server.close());

describe('KubeConfigSources', () => {
  it("reads a Secret's and a ConfigMap's values (binaryData too) as bytes", async () => {
    expect((await sources.secret('team', 'api'))?.token?.toString()).toBe('S3cretTok3n');
    const configMap = await sources.configMap('team', 'settings');
    expect(configMap?.greeting?.toString()).toBe('hello');
    expect([...(configMap?.raw ?? [])]).toEqual([1, 2]);
    expect(await secretSourceOf(sources).secretValue('team', { name: 'api', key: 'token' })).toBe('S3cretTok3n');
  });

  it('gives nothing for a missing object, so a reference to it names it, or is empty when optional', async () => {
    expect(await sources.secret('team', 'absent')).toBeUndefined();
    await expect(readKey(sources, 'Secret', 'team', { name: 'absent', key: 'k' })).rejects.toThrow('Secret team/absent not found (wanted key k)');
    expect(await secretSourceOf(sources).secretValue('team', { name: 'absent', key: 'k', optional: true })).toBe('');
  });

  it('names the object and status of a refusal, never the response body', async () => {
    const refused = sources.secret('locked', 'api');
    await expect(refused).rejects.toThrow('cannot read Secret locked/api: the API answered 403');
    await expect(refused).rejects.not.toThrow(/S3cretTok3n/);
  });
});
