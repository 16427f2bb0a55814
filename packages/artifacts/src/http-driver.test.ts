import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import type { Artifact } from '@regatta/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpObjectServer, type HttpObjectServer } from '../../../test/support/http-object-server.js';
import { inputArtifact } from '../../../test/support/artifact-yaml.js';
import { memorySecrets } from '../../../test/support/memory-secrets.js';
import { ArtifactNotFoundError } from './driver.js';
import { httpDriver } from './http-driver.js';

const NAMESPACE = 'argo';
let open: HttpObjectServer;
let guarded: HttpObjectServer;
let work: string;

beforeAll(async () => {
  open = await startHttpObjectServer();
  guarded = await startHttpObjectServer({ basicAuth: { username: 'robot', password: 'pa:ss' } });
  work = await mkdtemp(join(tmpdir(), 'regatta-http-driver-test-'));
});

afterAll(async () => {
  await open?.close();
  await guarded?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const driver = () =>
  httpDriver({ namespace: NAMESPACE, secrets: memorySecrets({ [NAMESPACE]: { creds: { user: 'robot', pass: 'pa:ss', token: 'Bearer t0ken' } } }) });

const at = (url: string, http: Partial<NonNullable<Artifact['http']>> = {}): Artifact => ({ name: 'data', http: { url, ...http } });

describe('http driver', () => {
  it('PUTs a file with its Content-Length and GETs it back to a file and as a stream', async () => {
    const source = join(work, 'report.txt');
    await writeFile(source, 'x'.repeat(100_000));
    const artifact = at(`${open.url}/reports/report.txt`);
    await driver().save(source, artifact);
    const put = open.requests.find((request) => request.method === 'PUT' && request.path === '/reports/report.txt');
    expect(put).toMatchObject({ received: 100_000, contentLength: '100000' });

    await driver().load(artifact, join(work, 'loaded', 'report.txt'));
    expect(await readFile(join(work, 'loaded', 'report.txt'), 'utf8')).toBe('x'.repeat(100_000));
    expect((await text(await driver().openStream(artifact))).length).toBe(100_000);
    expect(await driver().isDirectory(artifact)).toBe(false);
  });

  it('sends headers written in the artifact and read from Secrets, and basic auth from Secrets, as the YAML writes them', async () => {
    guarded.objects.set('/private.txt', Buffer.from('secret stuff'));
    const artifact = inputArtifact(`
      name: data
      path: /data.txt
      http:
        url: ${guarded.url}/private.txt
        headers:
          - name: X-Team
            value: data
          - name: X-Token
            valueFrom:
              secretKeyRef: { name: creds, key: token }
        auth:
          basicAuth:
            usernameSecret: { name: creds, key: user }
            passwordSecret: { name: creds, key: pass }
    `);
    expect(await text(await driver().openStream(artifact))).toBe('secret stuff');
    const get = guarded.requests.at(-1)!;
    expect(get.headers).toMatchObject({ 'x-team': 'data', 'x-token': 'Bearer t0ken' });
  });

  it('turns user and password written in the URL into basic auth, and never names them in a message', async () => {
    guarded.objects.set('/in-url.txt', Buffer.from('ok'));
    expect(await text(await driver().openStream(at(`http://robot:pa%3Ass@${guarded.url.slice('http://'.length)}/in-url.txt`)))).toBe('ok');
    const refused = driver().openStream(at(`http://robot:wrong@${guarded.url.slice('http://'.length)}/in-url.txt?sig=abc`));
    await expect(refused).rejects.toThrow(`http ${guarded.url}/in-url.txt?…: GET answered 401 Unauthorized`);
    await expect(refused).rejects.not.toThrow('wrong');
  });

  it('answers a missing object (404) with ArtifactNotFoundError and another status with the URL and status, in one line', async () => {
    await expect(driver().load(at(`${open.url}/nothing`), join(work, 'nothing'))).rejects.toBeInstanceOf(ArtifactNotFoundError);
    await expect(driver().load(at(`${open.url}/broken`), join(work, 'broken'))).rejects.toThrow(new RegExp(`^http ${open.url}/broken: GET answered 500 Internal Server Error$`));
  });

  it('tries again after a transient 503', async () => {
    open.objects.set('/flaky', Buffer.from('second time lucky'));
    expect(await text(await driver().openStream(at(`${open.url}/flaky`)))).toBe('second time lucky');
  });

  it('follows a 307 redirect of a PUT, sending the file again', async () => {
    const source = join(work, 'redirected.txt');
    await writeFile(source, 'moved along');
    await driver().save(source, at(`${open.url}/moved/file.txt`));
    expect(open.objects.get('/landed/file.txt')?.toString()).toBe('moved along');
  });

  it('follows a redirect to another server without the credentials', async () => {
    const redirecting = await startHttpObjectServer({ redirectTo: guarded.url });
    try {
      const credentials = { basicAuth: { usernameSecret: { name: 'creds', key: 'user' }, passwordSecret: { name: 'creds', key: 'pass' } } };
      await expect(driver().openStream(at(`${redirecting.url}/moved/private.txt`, { auth: credentials }))).rejects.toThrow(
        `http ${redirecting.url}/moved/private.txt: GET answered 401 Unauthorized`,
      );
      const landed = guarded.requests.at(-1)!;
      expect(landed.path).toBe('/landed/private.txt');
      expect(landed.headers.authorization).toBeUndefined();
    } finally {
      await redirecting.close();
    }
  });

  it('names a server that cannot be reached by the network’s error code', async () => {
    const closed = await startHttpObjectServer();
    await closed.close();
    await expect(driver().openStream(at(`${closed.url}/x`))).rejects.toThrow(`http ${closed.url}/x: GET failed: ECONNREFUSED`);
  });

  it('refuses a folder, listing and deleting, naming what', async () => {
    await expect(driver().save(work, at(`${open.url}/folder`))).rejects.toThrow('a URL holds one file, not a folder');
    await expect(driver().list(at(`${open.url}/x`))).rejects.toThrow('cannot be listed');
    await expect(driver().delete(at(`${open.url}/x`))).rejects.toThrow('http artifacts cannot be deleted');
  });
});
