// Argo's HTTP artifact `auth.clientCert` (a node:https server that requires a client certificate signed by
// a CA made here) and `auth.oauth2` (a local token endpoint and a file server that wants its token), each
// as the YAML a user writes.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { globalAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { rootCertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputArtifact } from '../../../test/support/artifact-yaml.js';
import { startHttpObjectServer, type HttpObjectServer } from '../../../test/support/http-object-server.js';
import { makeCertificateAuthority, signCertificate } from '../../../test/support/kube-control-plane.js';
import { memorySecrets } from '../../../test/support/memory-secrets.js';
import { httpDriver } from './http-driver.js';

const NAMESPACE = 'argo';
const CLIENT_SECRET = 's3cr3t-never-shown';
const TOKEN = 'token-for-robot';
let work: string;
let mutualTls: HttpObjectServer;
let bearerServer: HttpObjectServer;
let tokenServer: { url: string; forms: URLSearchParams[]; close(): Promise<void> };
const secrets: Record<string, Record<string, string>> = {};
const driver = () => httpDriver({ namespace: NAMESPACE, secrets: memorySecrets({ [NAMESPACE]: secrets }) });

/** A client-credentials token endpoint: it notes each form and grants TOKEN to the client robot with CLIENT_SECRET. */
async function startTokenServer(): Promise<typeof tokenServer> {
  const forms: URLSearchParams[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    void text(request).then((body) => {
      const form = new URLSearchParams(body);
      forms.push(form);
      const granted = request.method === 'POST' && form.get('grant_type') === 'client_credentials' && form.get('client_id') === 'robot' && form.get('client_secret') === CLIENT_SECRET;
      response.writeHead(granted ? 200 : 401, { 'content-type': 'application/json' });
      response.end(JSON.stringify(granted ? { access_token: TOKEN, token_type: 'Bearer', expires_in: 3600 } : { error: 'invalid_client', error_description: `bad secret ${form.get('client_secret')}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/token`,
    forms,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'regatta-http-auth-test-'));
  await makeCertificateAuthority(work);
  const ca = await readFile(join(work, 'ca.crt'), 'utf8');
  const serving = await signCertificate(work, 'serving', '/CN=files', { usage: 'serverAuth', altNames: ['IP:127.0.0.1'] });
  const client = await signCertificate(work, 'client', '/CN=robot', { usage: 'clientAuth' });
  // Argo's HTTP artifact has no CA field: the worker's trust store (NODE_EXTRA_CA_CERTS) is what trusts the server.
  globalAgent.options.ca = [...rootCertificates, ca];
  mutualTls = await startHttpObjectServer({
    tls: { key: await readFile(serving.key), cert: await readFile(serving.cert), ca, requestCert: true, rejectUnauthorized: true },
  });
  mutualTls.objects.set('/report.txt', Buffer.from('for robots with certificates'));
  bearerServer = await startHttpObjectServer({ bearerToken: TOKEN });
  bearerServer.objects.set('/report.txt', Buffer.from('for robots with tokens'));
  tokenServer = await startTokenServer();
  Object.assign(secrets, {
    'client-tls': { 'tls.crt': await readFile(client.cert, 'utf8'), 'tls.key': await readFile(client.key, 'utf8') },
    oauth: { id: 'robot', secret: CLIENT_SECRET, wrong: 'not-the-secret', url: tokenServer.url },
  });
});

afterAll(async () => {
  delete globalAgent.options.ca;
  await mutualTls?.close();
  await bearerServer?.close();
  await tokenServer?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('http auth.clientCert', () => {
  const artifact = (auth: string) =>
    inputArtifact(`
      name: data
      path: /data.txt
      http:
        url: ${mutualTls.url}/report.txt
        ${auth}
    `);

  it('presents the certificate and key from Secrets to a server that requires one', async () => {
    const withCert = artifact(`auth: { clientCert: { clientCertSecret: { name: client-tls, key: tls.crt }, clientKeySecret: { name: client-tls, key: tls.key } } }`);
    expect(await text(await driver().openStream(withCert))).toBe('for robots with certificates');
  });

  it('without one, the server refuses the connection, named with the URL and what to set', async () => {
    await expect(driver().openStream(artifact(''))).rejects.toThrow(`http ${mutualTls.url}/report.txt: GET failed: the server requires a client certificate (set auth.clientCert)`);
  });

  it('refuses a clientCert missing its key, naming the field', async () => {
    const halfCert = artifact(`auth: { clientCert: { clientCertSecret: { name: client-tls, key: tls.crt } } }`);
    await expect(driver().openStream(halfCert)).rejects.toThrow(`http ${mutualTls.url}/report.txt: http.auth.clientCert needs both clientCertSecret and clientKeySecret`);
  });
});

describe('http auth.oauth2', () => {
  const artifact = (secretKey: string, path = 'report.txt') =>
    inputArtifact(`
      name: data
      path: /data.txt
      http:
        url: ${bearerServer.url}/${path}
        auth:
          oauth2:
            clientIDSecret: { name: oauth, key: id }
            clientSecretSecret: { name: oauth, key: ${secretKey} }
            tokenURLSecret: { name: oauth, key: url }
            scopes: [read, write]
            endpointParams:
              - { key: audience, value: artifacts }
    `);

  it('asks the token URL with the client-credentials grant once, and sends the token as Bearer', async () => {
    const before = tokenServer.forms.length;
    expect(await text(await driver().openStream(artifact('secret')))).toBe('for robots with tokens');
    expect(await text(await driver().openStream(artifact('secret')))).toBe('for robots with tokens');
    expect(tokenServer.forms.length - before).toBe(1);
    expect(Object.fromEntries(tokenServer.forms.at(-1)!)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'robot',
      client_secret: CLIENT_SECRET,
      scope: 'read write',
      audience: 'artifacts',
    });
    expect(bearerServer.requests.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('a refused grant names the artifact and the token URL, never the secret, and is not kept', async () => {
    const before = tokenServer.forms.length;
    const refused = driver().openStream(artifact('wrong', 'other.txt'));
    await expect(refused).rejects.toThrow(`http ${bearerServer.url}/other.txt: the oauth2 token URL ${tokenServer.url} answered 401 (invalid_client)`);
    await expect(refused).rejects.not.toThrow('not-the-secret');
    await expect(driver().openStream(artifact('wrong', 'other.txt'))).rejects.toThrow('answered 401 (invalid_client)');
    expect(tokenServer.forms.length - before).toBe(2);
  });
});
