// artifactGC through a real S3 store (s3rver): the installation's repository is the bucket, its
// credentials a Secret made with `regatta secret create`; the scheduler (OnWorkflowCompletion) and
// `regatta delete` and the server's DELETE (OnWorkflowDeletion) delete the objects through the artifact stores.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactStore } from '@regatta/artifacts';
import type { Workflow } from '@regatta/spec';
import { regatta, startService, stopService } from './support/cli.js';
import { removePrefix, uniquePrefix } from './support/redis.js';
import { freePort } from './support/free-port.js';
import { startS3Server, type S3Server } from './support/s3-server.js';
import { until } from './support/until.js';

const prefix = uniquePrefix();
const dir = mkdtempSync(join(tmpdir(), 'regatta-artifact-gc-s3-'));
const services: ReturnType<typeof startService>[] = [];
let server: S3Server;
let env: Record<string, string>;
let bucket: ArtifactStore;
let serverUrl: string;

beforeAll(async () => {
  server = await startS3Server();
  const repository = { s3: { bucket: 'my-bucket', endpoint: server.hostPort, insecure: true, createBucketIfNotPresent: {}, accessKeySecret: { name: 'my-minio-cred', key: 'accesskey' }, secretKeySecret: { name: 'my-minio-cred', key: 'secretkey' } } };
  env = { LOG_LEVEL: 'warn', REGATTA_SECRETS_KEY: randomBytes(32).toString('base64'), REGATTA_ARTIFACT_REPOSITORY: JSON.stringify(repository), REGATTA_ARTIFACTS_DIR: join(dir, 'artifacts') };
  const created = await regatta(['secret', 'create', 'my-minio-cred', '--from-literal', `accesskey=${server.accessKeyId}`, '--from-literal', `secretkey=${server.secretAccessKey}`], prefix, env);
  expect(created.stderr).toBe('');
  const port = await freePort();
  serverUrl = `http://127.0.0.1:${port}`;
  services.push(
    startService(['scheduler'], prefix, env),
    startService(['worker', '--concurrency', '4'], prefix, env),
    startService(['server', '--port', String(port), '--auth-mode', 'server'], prefix, env),
  );
  await until('the server', () => fetch(`${serverUrl}/readyz`).then((response) => response.ok, () => false));
  bucket = new ArtifactStore({ secrets: { secretValue: async (_namespace, { key }) => (key === 'accesskey' ? server.accessKeyId : server.secretAccessKey) } });
}, 30_000);

afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  await server?.stop();
  await removePrefix(prefix);
  rmSync(dir, { recursive: true, force: true });
});

/** Every key in the bucket under the workflow's name (the default key format's first part). */
function objects(workflow: string): Promise<string[]> {
  const s3 = { bucket: 'my-bucket', endpoint: server.hostPort, insecure: true, key: `${workflow}/`, accessKeySecret: { name: 'my-minio-cred', key: 'accesskey' }, secretKeySecret: { name: 'my-minio-cred', key: 'secretkey' } };
  return bucket.list({ name: 'listing', s3 }, 'default');
}

async function submit(name: string, strategy: string): Promise<void> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: ${name}}
spec:
  entrypoint: make
  artifactGC: {strategy: ${strategy}}
  templates:
  - name: make
    container: {image: busybox, command: [sh, -c, "echo one > /tmp/one.txt && echo two > /tmp/two.txt"]}
    outputs:
      artifacts:
      - {name: collected, path: /tmp/one.txt}
      - {name: kept, path: /tmp/two.txt, artifactGC: {strategy: Never}}
`,
  );
  const result = await regatta(['submit', file], prefix, env);
  expect(result.stderr).toBe('');
}

async function get(name: string): Promise<Workflow | undefined> {
  const got = await regatta(['get', name, '-o', 'json'], prefix, env);
  return got.code === 0 ? (JSON.parse(got.stdout) as Workflow) : undefined;
}

describe('artifactGC with an S3 repository', () => {
  it('deletes the OnWorkflowCompletion objects from the bucket once the workflow ends, and keeps the Never one', async () => {
    await submit('s3-on-completion', 'OnWorkflowCompletion');
    let done: Workflow | undefined;
    await until('the collection to be recorded', async () => (done = await get('s3-on-completion'))?.status?.artifactGCStatus?.strategiesProcessed?.OnWorkflowCompletion === true);
    expect(done!.status?.phase).toBe('Succeeded');
    expect(done!.status?.conditions).toBeUndefined();
    const keys = await objects('s3-on-completion');
    expect(keys.map((key) => key.split('/').at(-1))).toEqual(['kept.tgz']);
  });

  it('deletes the OnWorkflowDeletion objects from the bucket on `regatta delete`', async () => {
    await submit('s3-on-delete', 'OnWorkflowDeletion');
    await until('the workflow to succeed', async () => (await get('s3-on-delete'))?.status?.phase === 'Succeeded');
    expect((await objects('s3-on-delete')).map((key) => key.split('/').at(-1))).toEqual(['collected.tgz', 'kept.tgz']);
    const deleted = await regatta(['delete', 's3-on-delete'], prefix, env);
    expect(deleted.stderr).toBe('');
    expect((await objects('s3-on-delete')).map((key) => key.split('/').at(-1))).toEqual(['kept.tgz']);
    expect(await get('s3-on-delete')).toBeUndefined();
  });

  it("deletes the OnWorkflowDeletion objects from the bucket on the server's DELETE", async () => {
    await submit('s3-server-delete', 'OnWorkflowDeletion');
    await until('the workflow to succeed', async () => (await get('s3-server-delete'))?.status?.phase === 'Succeeded');
    expect(await objects('s3-server-delete')).toHaveLength(2);
    const response = await fetch(`${serverUrl}/api/v1/workflows/default/s3-server-delete`, { method: 'DELETE' });
    expect(response.status).toBe(200);
    expect((await objects('s3-server-delete')).map((key) => key.split('/').at(-1))).toEqual(['kept.tgz']);
  });
});
