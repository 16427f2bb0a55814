// Artifacts kept in S3 (an S3-compatible server from npm) by a running system as an installation sets it
// up: the default repository in REGATTA_ARTIFACT_REPOSITORY, its credentials in a Secret made with
// `regatta secret create`, scheduler, worker and server as separate processes. Argo's artifact-passing
// example passes its artifact through the bucket, and the server's artifact paths download it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regatta, startService, stopService } from './support/cli.js';
import { freePort } from './support/free-port.js';
import { removePrefix, uniquePrefix } from './support/redis.js';
import { startS3Server, type S3Server } from './support/s3-server.js';
import { until } from './support/until.js';

const prefix = uniquePrefix();
const services: ReturnType<typeof startService>[] = [];
const artifactsDir = mkdtempSync(join(tmpdir(), 'regatta-server-artifacts-'));
let s3: S3Server;
let base: string;
let env: Record<string, string>;

/** Argo's examples/artifact-passing.yaml, its comments left out. */
const ARTIFACT_PASSING = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: artifact-passing
spec:
  entrypoint: artifact-example
  templates:
  - name: artifact-example
    steps:
    - - name: generate-artifact
        template: hello-world-to-file
    - - name: consume-artifact
        template: print-message-from-file
        arguments:
          artifacts:
          - name: message
            from: "{{steps.generate-artifact.outputs.artifacts.hello-art}}"
  - name: hello-world-to-file
    container:
      image: busybox
      command: [sh, -c]
      args: ["sleep 1; echo hello world | tee /tmp/hello_world.txt"]
    outputs:
      artifacts:
      - name: hello-art
        path: /tmp/hello_world.txt
  - name: print-message-from-file
    inputs:
      artifacts:
      - name: message
        path: /tmp/message
    container:
      image: alpine:latest
      command: [sh, -c]
      args: ["cat /tmp/message"]
`;

beforeAll(async () => {
  s3 = await startS3Server();
  const repository = {
    s3: {
      bucket: 'regatta-test',
      endpoint: s3.hostPort,
      insecure: true,
      createBucketIfNotPresent: {},
      accessKeySecret: { name: 'my-minio-cred', key: 'accesskey' },
      secretKeySecret: { name: 'my-minio-cred', key: 'secretkey' },
    },
  };
  env = { REGATTA_SECRETS_KEY: randomBytes(32).toString('base64'), REGATTA_ARTIFACT_REPOSITORY: JSON.stringify(repository), REGATTA_ARTIFACTS_DIR: artifactsDir, LOG_LEVEL: 'warn' };
  const created = await regatta(['secret', 'create', 'my-minio-cred', '--from-literal', `accesskey=${s3.accessKeyId}`, '--from-literal', `secretkey=${s3.secretAccessKey}`], prefix, env);
  expect(created.code, created.stderr).toBe(0);
  const port = await freePort();
  services.push(startService(['scheduler'], prefix, env));
  services.push(startService(['worker', '--concurrency', '4'], prefix, env));
  services.push(startService(['server', '--port', String(port), '--auth-mode', 'server'], prefix, env));
  base = `http://127.0.0.1:${port}`;
  await until('the server', () => fetch(`${base}/readyz`).then((r) => r.ok, () => false));
});

afterAll(async () => {
  await Promise.all(services.map(({ child }) => stopService(child)));
  await s3?.stop();
  rmSync(artifactsDir, { recursive: true, force: true });
  await removePrefix(prefix);
});

describe('artifacts in S3 through a running system', () => {
  it("passes Argo's artifact-passing example through the bucket, and the server downloads the artifact as stored", async () => {
    const submitted = await regatta(['submit', '-', '--wait'], prefix, env, ARTIFACT_PASSING);
    expect(submitted.stderr).toBe('');
    const got = await regatta(['get', 'artifact-passing', '-o', 'json'], prefix, env);
    const workflow = JSON.parse(got.stdout) as { metadata: { uid: string }; status: { phase: string; nodes: Record<string, { displayName: string; id: string; outputs?: { result?: string; artifacts?: { name: string; s3?: { key: string; bucket: string } }[] } }> } };
    expect(workflow.status.phase).toBe('Succeeded');
    const nodes = Object.values(workflow.status.nodes);
    const producer = nodes.find((node) => node.displayName === 'generate-artifact')!;
    const consumer = nodes.find((node) => node.displayName === 'consume-artifact')!;
    expect(consumer.outputs?.result).toBe('hello world');
    // Argo's default key format, {{workflow.name}}/{{pod.name}}, then the artifact's file name.
    const artifact = producer.outputs!.artifacts!.find((a) => a.name === 'hello-art')!;
    expect(artifact.s3).toMatchObject({ bucket: 'regatta-test', key: expect.stringMatching(/^artifact-passing\/artifact-passing-.+\/hello-art\.tgz$/) });

    const client = new S3Client({ endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'regatta-test' }));
    client.destroy();
    expect(listed.Contents?.map((object) => object.Key)).toContain(artifact.s3!.key);

    const download = await fetch(`${base}/artifacts/default/artifact-passing/${producer.id}/hello-art`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="hello-art.tgz"');
    // A tar+gzip of the one file, as Argo stores it: the file's bytes lie inside.
    expect(gunzipSync(Buffer.from(await download.arrayBuffer())).toString('latin1')).toContain('hello world\n');
    const byUid = await fetch(`${base}/input-artifacts-by-uid/${workflow.metadata.uid}/${consumer.id}/message`);
    expect(byUid.status).toBe(200);

    const missing = await fetch(`${base}/artifacts/default/artifact-passing/${producer.id}/no-such`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ code: 5, message: `node "${producer.id}" has no output artifact "no-such"` });
  });
});
