import type { Artifact } from '@regatta/spec';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { inputArtifact } from '../../../test/support/artifact-yaml.js';
import { memorySecrets } from '../../../test/support/memory-secrets.js';
import type { ArtifactDriver, DriverFactory } from './driver.js';
import { gcsAsS3, gcsDriverOver } from './gcs-driver.js';

const hmac = { accessKeySecret: { name: 'gcs-hmac', key: 'accessKey' }, secretKeySecret: { name: 'gcs-hmac', key: 'secretKey' } };

describe('a GCS location as S3', () => {
  it('is the bucket and key at GCS’s S3 endpoint, signed for region auto with the HMAC keys’ Secrets', () => {
    expect(gcsAsS3({ bucket: 'my-bucket', key: 'path/in/bucket', ...hmac })).toEqual({
      endpoint: 'storage.googleapis.com',
      region: 'auto',
      insecure: false,
      bucket: 'my-bucket',
      key: 'path/in/bucket',
      ...hmac,
    });
  });

  it('reads the HMAC keys’ Secrets from the gcs location as the YAML writes them (Regatta’s extension)', () => {
    const input = inputArtifact(`
      name: my-art
      path: /my-artifact
      gcs:
        bucket: my-bucket-name
        key: path/in/bucket
        accessKeySecret: { name: my-gcs-hmac, key: accessKey }
        secretKeySecret: { name: my-gcs-hmac, key: secretKey }
    `);
    expect(gcsAsS3(input.gcs!)).toMatchObject({
      bucket: 'my-bucket-name',
      key: 'path/in/bucket',
      accessKeySecret: { name: 'my-gcs-hmac', key: 'accessKey' },
      secretKeySecret: { name: 'my-gcs-hmac', key: 'secretKey' },
    });
  });

  it('keeps a repository’s keyFormat, and an endpoint given for another server', () => {
    expect(gcsAsS3({ bucket: 'b', keyFormat: '{{workflow.name}}/{{pod.name}}', endpoint: '127.0.0.1:9000', insecure: true, ...hmac })).toMatchObject({
      endpoint: '127.0.0.1:9000',
      insecure: true,
      keyFormat: '{{workflow.name}}/{{pod.name}}',
    });
  });

  it('refuses serviceAccountKeySecret, naming it, and a location without HMAC keys', () => {
    expect(() => gcsAsS3({ bucket: 'b', key: 'k', serviceAccountKeySecret: { name: 'sa', key: 'key.json' } })).toThrow(
      "gcs bucket b: gcs.serviceAccountKeySecret is not supported (it needs Google's native API)",
    );
    expect(() => gcsAsS3({ bucket: 'b', key: 'k', accessKeySecret: hmac.accessKeySecret })).toThrow('gcs bucket b: gcs.accessKeySecret and gcs.secretKeySecret (GCS HMAC keys) are needed');
  });
});

describe('the GCS driver over an S3 driver', () => {
  /** An S3 driver that only records what it is asked: the translation is what is under test here. */
  function recordingS3(): { factory: DriverFactory; calls: [string, Artifact][] } {
    const calls: [string, Artifact][] = [];
    const record = (method: string) => (artifact: Artifact) => void calls.push([method, artifact]);
    const driver: ArtifactDriver = {
      describe: () => 's3',
      load: async (artifact) => record('load')(artifact),
      save: async (_source, artifact) => record('save')(artifact),
      openStream: async (artifact) => (record('openStream')(artifact), Readable.from([])),
      list: async (artifact) => (record('list')(artifact), []),
      delete: async (artifact) => record('delete')(artifact),
      isDirectory: async (artifact) => (record('isDirectory')(artifact), false),
    };
    return { factory: () => driver, calls };
  }

  it('hands every call to the S3 driver with the gcs location replaced by its S3 one', async () => {
    const s3 = recordingS3();
    const gcs = gcsDriverOver(s3.factory)({ namespace: 'argo', secrets: memorySecrets({}) });
    const artifact: Artifact = { name: 'out', path: '/tmp/out', gcs: { bucket: 'my-bucket', key: 'a/b.tgz', ...hmac } };
    await gcs.save('/tmp/out', artifact);
    await gcs.load(artifact, '/tmp/in');
    await gcs.list(artifact);
    await gcs.delete(artifact);
    expect(s3.calls.map(([method]) => method)).toEqual(['save', 'load', 'list', 'delete']);
    for (const [, passed] of s3.calls) {
      expect(passed).toEqual({ name: 'out', path: '/tmp/out', s3: gcsAsS3({ bucket: 'my-bucket', key: 'a/b.tgz', ...hmac }) });
    }
    expect(gcs.describe(artifact)).toBe('gcs bucket my-bucket at storage.googleapis.com, key a/b.tgz');
  });

  it('fails the call, not the factory, for a location it cannot take', async () => {
    const gcs = gcsDriverOver(recordingS3().factory)({ namespace: 'argo', secrets: memorySecrets({}) });
    await expect(gcs.load({ name: 'in', gcs: { bucket: 'b', key: 'k', serviceAccountKeySecret: { name: 'sa', key: 'k' } } }, '/tmp/x')).rejects.toThrow('gcs.serviceAccountKeySecret');
  });
});
