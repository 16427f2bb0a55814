import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Artifact } from '@regatta/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpObjectServer, type HttpObjectServer } from '../../../test/support/http-object-server.js';
import { inputArtifact } from '../../../test/support/artifact-yaml.js';
import { memorySecrets } from '../../../test/support/memory-secrets.js';
import { artifactoryDriver } from './artifactory-driver.js';
import { ArtifactNotFoundError } from './driver.js';

const NAMESPACE = 'argo';
let server: HttpObjectServer;
let work: string;

beforeAll(async () => {
  server = await startHttpObjectServer({ basicAuth: { username: 'admin', password: 'password' } });
  work = await mkdtemp(join(tmpdir(), 'regatta-artifactory-driver-test-'));
});

afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const driver = () => artifactoryDriver({ namespace: NAMESPACE, secrets: memorySecrets({ [NAMESPACE]: { 'my-artifactory-credentials': { username: 'admin', password: 'password' } } }) });

const at = (path: string, passwordKey = 'password'): Artifact => ({
  name: 'my-art',
  artifactory: {
    url: `${server.url}${path}`,
    usernameSecret: { name: 'my-artifactory-credentials', key: 'username' },
    passwordSecret: { name: 'my-artifactory-credentials', key: passwordKey },
  },
});

describe('artifactory driver', () => {
  it('loads an input artifact written as Argo’s input-artifact-artifactory example writes it', async () => {
    server.objects.set('/artifactory/generic-local/hello_world.tgz', Buffer.from('from artifactory'));
    const input = inputArtifact(`
      name: my-art
      path: /my-artifact
      artifactory:
        url: ${server.url}/artifactory/generic-local/hello_world.tgz
        usernameSecret:
          name: my-artifactory-credentials
          key: username
        passwordSecret:
          name: my-artifactory-credentials
          key: password
    `);
    await driver().load(input, join(work, 'my-artifact'));
    expect(await readFile(join(work, 'my-artifact'), 'utf8')).toBe('from artifactory');
  });

  it('PUTs to save, GETs to load and DELETEs for garbage collection, with basic auth from the Secrets', async () => {
    const source = join(work, 'hello.tgz');
    await writeFile(source, 'packed');
    const artifact = at('/artifactory/generic-local/hello.tgz');
    await driver().save(source, artifact);
    await driver().load(artifact, join(work, 'loaded.tgz'));
    expect(await readFile(join(work, 'loaded.tgz'), 'utf8')).toBe('packed');

    await driver().delete(artifact);
    expect(server.objects.has('/artifactory/generic-local/hello.tgz')).toBe(false);
    await driver().delete(artifact);
    await expect(driver().load(artifact, join(work, 'again.tgz'))).rejects.toBeInstanceOf(ArtifactNotFoundError);
  });

  it('names the URL and the refusal when the credentials are wrong', async () => {
    const wrong = memorySecrets({ [NAMESPACE]: { 'my-artifactory-credentials': { username: 'admin', password: 'nope' } } });
    const failure = artifactoryDriver({ namespace: NAMESPACE, secrets: wrong }).openStream(at('/artifactory/x'));
    await expect(failure).rejects.toThrow(`artifactory ${server.url}/artifactory/x: GET answered 401 Unauthorized`);
  });

  it('fails naming the Secret’s key that is missing', async () => {
    await expect(driver().openStream(at('/artifactory/x', 'missing'))).rejects.toThrow('has no key missing');
  });
});
