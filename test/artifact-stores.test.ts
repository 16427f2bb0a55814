// Artifact stores through `regatta run`: a data template listing an S3 bucket (s3rver here), the
// worker's credentials from the SDK's default chain (`useSDKCreds`), as IRSA or an instance role gives them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactStore, type SecretSource } from '@regatta/artifacts';
import { removePrefix, uniquePrefix } from './support/redis.js';
import { runYaml } from './support/run-yaml.js';
import { startS3Server, type S3Server } from './support/s3-server.js';

const prefix = uniquePrefix();
const dir = mkdtempSync(join(tmpdir(), 'regatta-stores-'));
let server: S3Server;

beforeAll(async () => {
  server = await startS3Server();
  const secrets: SecretSource = { secretValue: async (_namespace, { key }) => (key === 'access' ? server.accessKeyId : server.secretAccessKey) };
  const store = new ArtifactStore({ secrets });
  const credentials = { accessKeySecret: { name: 's', key: 'access' }, secretKeySecret: { name: 's', key: 'secret' } };
  for (const name of ['a.log', 'b.txt', 'c.log']) {
    writeFileSync(join(dir, name), name);
    const s3 = { endpoint: server.hostPort, insecure: true, bucket: 'logs', key: `run-1/${name}`, createBucketIfNotPresent: {}, ...credentials };
    await store.save(join(dir, name), { name, s3, archive: { none: {} } }, 'default');
  }
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
  await removePrefix(prefix);
});

describe('a data template', () => {
  it('lists the keys under an s3 location and transforms them', async () => {
    const { code, workflow } = await runYaml(
      dir,
      'data-s3',
      `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: data-s3}
spec:
  entrypoint: list
  templates:
  - name: list
    data:
      source:
        artifactPaths:
          name: logs
          s3: {endpoint: "${server.hostPort}", insecure: true, bucket: logs, key: run-1/, useSDKCreds: true}
      transformation:
      - expression: "filter(data, {# endsWith '.log'})"
`,
      prefix,
      { AWS_ACCESS_KEY_ID: server.accessKeyId, AWS_SECRET_ACCESS_KEY: server.secretAccessKey },
    );
    expect(code).toBe(0);
    expect(workflow.status?.phase).toBe('Succeeded');
    expect(JSON.parse(Object.values(workflow.status?.nodes ?? {})[0]!.outputs!.result!)).toEqual(['run-1/a.log', 'run-1/c.log']);
  });
});
