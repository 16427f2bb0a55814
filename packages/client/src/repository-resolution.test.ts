// Artifact repositories resolved at submission against a real Redis: ConfigMaps applied from the YAML
// a user writes, the workflow submitted the way every submitter does, and what is stored read back.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigMaps, SpecError, type ArtifactRepository, type Workflow } from '@regatta/spec';
import { ResourceStore, WorkflowStore } from '@regatta/store';
import { readInstallationRepository } from './installation-repository.js';
import { resubmitted } from './resubmit.js';
import { prepareWorkflow, submitWorkflow } from './submit.js';
import { REDIS_URL, removePrefix, uniquePrefix } from '../../../test/support/redis.js';

const prefix = uniquePrefix();
let redis: Redis;

const CONFIGMAPS = `
apiVersion: v1
kind: ConfigMap
metadata:
  name: artifact-repositories
  namespace: team
  annotations:
    workflows.argoproj.io/default-artifact-repository: default-v1
data:
  default-v1: |
    s3:
      bucket: team-bucket
      endpoint: 127.0.0.1:9000
      insecure: true
      accessKeySecret: {name: my-minio-cred, key: accesskey}
      secretKeySecret: {name: my-minio-cred, key: secretkey}
  other: |
    {"gcs": {"bucket": "other-bucket", "keyFormat": "runs/{{workflow.uid}}"}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: my-repos, namespace: team}
data:
  broken: "s3: [not, a, map]"
  hdfs: |
    hdfs: {addresses: ["127.0.0.1:8020"]}
  typo: |
    s3: {bucket: b}
    archivelogs: true
`;

const installed: ArtifactRepository = { archiveLogs: true, azure: { endpoint: 'http://127.0.0.1:10000/devstoreaccount1', container: 'argo' } };

beforeAll(async () => {
  redis = new Redis(REDIS_URL);
  await new ResourceStore(redis, prefix).create('ConfigMap', loadConfigMaps(CONFIGMAPS, 'configmaps.yaml'));
});

afterAll(async () => {
  await removePrefix(prefix);
  redis.disconnect();
});

const workflowYaml = (namespace: string, ref = '') => `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: repo-}
spec:
  entrypoint: main
${ref}
  templates:
  - name: main
    container: {image: busybox}
`;

/** Submits as every submitter does, and reads back the status stored. */
async function submitted(namespace: string, ref = '', installation?: ArtifactRepository): Promise<Workflow['status']> {
  const workflow = prepareWorkflow(workflowYaml(namespace, ref), 'wf.yaml', { namespace, shards: 2 });
  await submitWorkflow(redis, prefix, workflow, 2, () => installation);
  return (await new WorkflowStore(redis, prefix).load(workflow.metadata.uid!))?.workflow.status;
}

async function refusal(namespace: string, ref: string, installation?: ArtifactRepository): Promise<string> {
  const workflow = prepareWorkflow(workflowYaml(namespace, ref), 'wf.yaml', { namespace, shards: 2 });
  const error = await submitWorkflow(redis, prefix, workflow, 2, () => installation).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SpecError);
  // Nothing is stored for a refused workflow.
  expect(await new WorkflowStore(redis, prefix).load(workflow.metadata.uid!)).toBeUndefined();
  return (error as Error).message;
}

describe('the artifact repository of a submitted workflow', () => {
  it("is the ConfigMap key artifactRepositoryRef names, parsed from the repository's YAML or JSON", async () => {
    expect((await submitted('team', '  artifactRepositoryRef: {key: other}'))?.artifactRepositoryRef).toEqual({
      configMap: 'artifact-repositories',
      key: 'other',
      namespace: 'team',
      artifactRepository: { gcs: { bucket: 'other-bucket', keyFormat: 'runs/{{workflow.uid}}' } },
    });
  });

  it("is the key the ConfigMap's annotation names, with a ref without a key or with no ref at all, before the installation's", async () => {
    const expected = {
      configMap: 'artifact-repositories',
      key: 'default-v1',
      namespace: 'team',
      artifactRepository: {
        s3: { bucket: 'team-bucket', endpoint: '127.0.0.1:9000', insecure: true, accessKeySecret: { name: 'my-minio-cred', key: 'accesskey' }, secretKeySecret: { name: 'my-minio-cred', key: 'secretkey' } },
      },
    };
    expect((await submitted('team', '  artifactRepositoryRef: {configMap: artifact-repositories}', installed))?.artifactRepositoryRef).toEqual(expected);
    expect((await submitted('team', '', installed))?.artifactRepositoryRef).toEqual(expected);
  });

  it("is the installation's default in a namespace without one, else Regatta's local store (nothing recorded)", async () => {
    expect((await submitted('plain', '', installed))?.artifactRepositoryRef).toEqual({ default: true, artifactRepository: installed });
    expect((await submitted('plain', ''))?.artifactRepositoryRef).toBeUndefined();
  });

  it('is kept as it was once resolved: a resubmission goes to the same repository', async () => {
    const original = prepareWorkflow(workflowYaml('plain'), 'wf.yaml', { namespace: 'plain', shards: 2 });
    await submitWorkflow(redis, prefix, original, 2, () => installed);
    const copy = resubmitted(original, false);
    await submitWorkflow(redis, prefix, copy, 2, () => ({ s3: { bucket: 'changed-since' } }));
    expect((await new WorkflowStore(redis, prefix).load(copy.metadata.uid!))?.workflow.status?.artifactRepositoryRef).toEqual({ default: true, artifactRepository: installed });
  });

  it('refuses the submission, naming the ConfigMap, key or field, when the repository cannot be had', async () => {
    expect(await refusal('team', '  artifactRepositoryRef: {configMap: missing, key: x}')).toBe(
      'wf.yaml:7:38: spec.artifactRepositoryRef.configMap: ConfigMap "missing" not found in namespace "team"',
    );
    expect(await refusal('team', '  artifactRepositoryRef: {configMap: my-repos}')).toMatch(
      /spec\.artifactRepositoryRef\.key: ConfigMap "my-repos" has no annotation workflows.argoproj.io\/default-artifact-repository to name its default key, and no key is given$/,
    );
    expect(await refusal('team', '  artifactRepositoryRef: {configMap: my-repos, key: nope}')).toMatch(/key "nope" not found in ConfigMap "my-repos" of namespace "team"$/);
    expect(await refusal('team', '  artifactRepositoryRef: {configMap: my-repos, key: broken}')).toMatch(/ConfigMap "my-repos" key "broken": s3: Invalid input: expected object, received array$/);
    expect(await refusal('team', '  artifactRepositoryRef: {configMap: my-repos, key: hdfs}')).toMatch(/ConfigMap "my-repos" key "hdfs": hdfs: Regatta has no hdfs store; use s3, gcs, azure or artifactory$/);
    expect(await refusal('team', '  artifactRepositoryRef: {configMap: my-repos, key: typo}')).toMatch(/key "typo": unknown field archivelogs/);
  });

  it("refuses the submission when the installation's default it falls back to is misconfigured", async () => {
    const workflow = prepareWorkflow(workflowYaml('plain'), 'wf.yaml', { namespace: 'plain', shards: 2 });
    const misconfigured = () => readInstallationRepository({ REGATTA_ARTIFACT_REPOSITORY: 'hdfs: {}' });
    await expect(submitWorkflow(redis, prefix, workflow, 2, misconfigured)).rejects.toThrow(
      'workflow plain/repo-: REGATTA_ARTIFACT_REPOSITORY: hdfs: Regatta has no hdfs store; use s3, gcs, azure or artifactory',
    );
  });
});

describe("the installation's default repository", () => {
  it('is read from REGATTA_ARTIFACT_REPOSITORY or the file REGATTA_ARTIFACT_REPOSITORY_FILE names', () => {
    expect(readInstallationRepository({})).toBeUndefined();
    expect(readInstallationRepository({ REGATTA_ARTIFACT_REPOSITORY: 's3: {bucket: b, endpoint: "127.0.0.1:9000"}\narchiveLogs: true' })).toEqual({
      s3: { bucket: 'b', endpoint: '127.0.0.1:9000' },
      archiveLogs: true,
    });
    const folder = mkdtempSync(join(tmpdir(), 'regatta-repository-'));
    try {
      const file = join(folder, 'repository.json');
      writeFileSync(file, JSON.stringify(installed));
      expect(readInstallationRepository({ REGATTA_ARTIFACT_REPOSITORY_FILE: file })).toEqual(installed);
      expect(() => readInstallationRepository({ REGATTA_ARTIFACT_REPOSITORY_FILE: join(folder, 'absent.yaml') })).toThrow(
        `REGATTA_ARTIFACT_REPOSITORY_FILE: cannot read ${join(folder, 'absent.yaml')} (ENOENT)`,
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('is refused naming the variable and the field, and when both variables are set', () => {
    expect(() => readInstallationRepository({ REGATTA_ARTIFACT_REPOSITORY: 's3: {insecure: "yes"}' })).toThrow(
      'REGATTA_ARTIFACT_REPOSITORY: s3.insecure: Invalid input: expected boolean, received string',
    );
    expect(() => readInstallationRepository({ REGATTA_ARTIFACT_REPOSITORY: 'oss: {bucket: b}' })).toThrow('REGATTA_ARTIFACT_REPOSITORY: oss: Regatta has no oss store');
    expect(() => readInstallationRepository({ REGATTA_ARTIFACT_REPOSITORY: 's3: {}', REGATTA_ARTIFACT_REPOSITORY_FILE: '/x' })).toThrow(
      'REGATTA_ARTIFACT_REPOSITORY and REGATTA_ARTIFACT_REPOSITORY_FILE are both set: set one of them',
    );
  });
});
