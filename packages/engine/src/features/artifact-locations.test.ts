import { describe, expect, it } from 'vitest';
import { fnv1a32, type ArtifactRepository } from '@regatta/spec';
import { Driver } from '../../test-support/drive.js';

const OUTPUTS = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: outputs-}
spec:
  entrypoint: make
  templates:
  - name: make
    container: {image: busybox, command: [sh, -c, "echo hi > /tmp/out.txt"]}
    outputs:
      artifacts:
      - {name: out, path: /tmp/out.txt}
      - {name: plain, path: /tmp/dir/plain.txt, archive: {none: {}}}
      - {name: zipped, path: /tmp/dir, archive: {zip: {}}}
      - {name: mine, path: /tmp/out.txt, s3: {key: "fixed/{{workflow.name}}.txt"}}
      - name: elsewhere
        path: /tmp/out.txt
        s3: {endpoint: "other:9000", bucket: other, key: there.tgz}
`;

const credentials = { accessKeySecret: { name: 'minio', key: 'accesskey' }, secretKeySecret: { name: 'minio', key: 'secretkey' } };
const pod = 'wf';

/** The driver with a repository resolved at submission, as the client stores it. */
function withRepository(yaml: string, artifactRepository: ArtifactRepository): Driver {
  const run = new Driver(yaml);
  run.state.workflow.metadata.creationTimestamp = '2026-03-04T05:06:07Z';
  run.state.status.artifactRepositoryRef = { configMap: 'artifact-repositories', key: 'minio', namespace: 'default', artifactRepository };
  return run.submit();
}

describe('output artifacts in a repository', () => {
  it("take the S3 repository's location with its keyFormat's variables substituted, keyFormat dropped, Argo's file names", () => {
    const run = withRepository(OUTPUTS, {
      s3: { endpoint: 'minio:9000', bucket: 'my-bucket', insecure: true, ...credentials, keyFormat: '{{workflow.namespace}}/{{workflow.creationTimestamp.Y}}/{{workflow.name}}/{{pod.name}}' },
    });
    const s3 = (key: string) => ({ endpoint: 'minio:9000', bucket: 'my-bucket', insecure: true, ...credentials, key });
    expect(run.job('wf').outputArtifacts).toEqual([
      { name: 'out', path: '/tmp/out.txt', s3: s3(`default/2026/wf/${pod}/out.tgz`) },
      { name: 'plain', path: '/tmp/dir/plain.txt', archive: { none: {} }, s3: s3(`default/2026/wf/${pod}/plain.txt`) },
      { name: 'zipped', path: '/tmp/dir', archive: { zip: {} }, s3: s3(`default/2026/wf/${pod}/zipped.zip`) },
      // A key-only location keeps its key (substituted with the template) and takes the rest from the repository.
      { name: 'mine', path: '/tmp/out.txt', s3: s3('fixed/wf.txt') },
      { name: 'elsewhere', path: '/tmp/out.txt', s3: { endpoint: 'other:9000', bucket: 'other', key: 'there.tgz' } },
    ]);
  });

  it("use Argo's default key format {{workflow.name}}/{{pod.name}} and each store's key field", () => {
    const yaml = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: steps-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps: [[{name: make, template: make}]]
  - name: make
    container: {image: busybox}
    outputs: {artifacts: [{name: out, path: /tmp/out}]}
`;
    const make = `wf-make-${fnv1a32('wf[0].make')}`;
    const located = (repository: ArtifactRepository) => withRepository(yaml, repository).job('make').outputArtifacts?.[0];
    expect(located({ s3: { bucket: 'b', endpoint: 'e', keyPrefix: 'team' } })).toMatchObject({ s3: { key: `team/wf/${make}/out.tgz` } });
    expect(located({ gcs: { bucket: 'b' } })).toMatchObject({ gcs: { bucket: 'b', key: `wf/${make}/out.tgz` } });
    expect(located({ azure: { endpoint: 'https://acct.blob', container: 'c', blobNameFormat: 'runs/{{workflow.uid}}' } })).toMatchObject({
      azure: { endpoint: 'https://acct.blob', container: 'c', blob: 'runs/uid-1/out.tgz' },
    });
    const artifactory = located({ artifactory: { repoURL: 'http://127.0.0.1:8081/generic-local', usernameSecret: { name: 'a', key: 'u' } } });
    expect(artifactory).toEqual({
      name: 'out',
      path: '/tmp/out',
      artifactory: { usernameSecret: { name: 'a', key: 'u' }, url: `http://127.0.0.1:8081/generic-local/wf/${make}/out.tgz` },
    });
  });

  it("go to a template's own whole archiveLocation, and save the main log where archiveLogs says", () => {
    const yaml = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: archive-location-}
spec:
  entrypoint: main
  archiveLogs: true
  templates:
  - name: main
    steps: [[{name: own, template: own}, {name: quiet, template: quiet}]]
  - name: own
    archiveLocation: {s3: {endpoint: "s3:9000", bucket: team, key: "own/{{pod.name}}"}}
    container: {image: busybox}
    outputs: {artifacts: [{name: out, path: /tmp/out}]}
  - name: quiet
    archiveLocation: {archiveLogs: false}
    container: {image: busybox}
`;
    const run = withRepository(yaml, { s3: { endpoint: 'minio:9000', bucket: 'my-bucket' } });
    const own = `wf-own-${fnv1a32('wf[0].own')}`;
    expect(run.job('own').outputArtifacts).toEqual([{ name: 'out', path: '/tmp/out', s3: { endpoint: 's3:9000', bucket: 'team', key: `own/${own}/out.tgz` } }]);
    expect(run.job('own').logsArtifact).toEqual({ name: 'main-logs', archive: { none: {} }, s3: { endpoint: 's3:9000', bucket: 'team', key: `own/${own}/main.log` } });
    expect(run.job('quiet').logsArtifact).toBeUndefined();
    // A repository that archives logs does so for every pod, whatever the template says.
    const forced = withRepository(yaml, { archiveLogs: true, s3: { endpoint: 'minio:9000', bucket: 'my-bucket' } });
    const quiet = `wf-quiet-${fnv1a32('wf[0].quiet')}`;
    expect(forced.job('quiet').logsArtifact).toMatchObject({ s3: { bucket: 'my-bucket', key: `wf/${quiet}/main.log` } });
  });

  it("keep the local store's keys, main.log among them, when the workflow has no other repository", () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: local-}
spec:
  entrypoint: make
  archiveLogs: true
  templates:
  - name: make
    container: {image: busybox}
    outputs: {artifacts: [{name: out, path: /tmp/out, archive: {zip: {}}}]}
`).submit();
    expect(run.job('wf').outputArtifacts).toEqual([{ name: 'out', path: '/tmp/out', archive: { zip: {} }, key: 'default/uid-1/wf/out.zip' }]);
    expect(run.job('wf').logsArtifact).toEqual({ name: 'main-logs', archive: { none: {} }, key: 'default/uid-1/wf/main.log' });
  });
});

describe('key-only artifacts', () => {
  const KEY_ONLY = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: key-only-artifacts-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: generate, template: generate}
      - {name: consume, template: consume, dependencies: [generate]}
  - name: generate
    container: {image: busybox, command: [sh, -c, "echo hi > /mnt/file"]}
    outputs:
      artifacts: [{name: file, path: /mnt/file, s3: {key: my-file}}]
  - name: consume
    container: {image: busybox, command: [cat, /tmp/file]}
    inputs:
      artifacts: [{name: file, path: /tmp/file, s3: {key: my-file}}]
`;

  it("are completed from the repository, as Argo's key-only-artifact example needs", () => {
    const run = withRepository(KEY_ONLY, { s3: { endpoint: 'minio:9000', bucket: 'my-bucket', ...credentials } });
    const location = { s3: { endpoint: 'minio:9000', bucket: 'my-bucket', ...credentials, key: 'my-file' } };
    expect(run.job('generate').outputArtifacts).toEqual([{ name: 'file', path: '/mnt/file', ...location }]);
    run.finish('generate', 'Succeeded', { artifacts: [{ name: 'file', path: '/mnt/file', ...location }] });
    expect(run.job('consume').inputArtifacts).toEqual([{ name: 'file', path: '/tmp/file', ...location }]);
  });

  it("without a repository, are keys of the local store within the workflow's namespace, so Argo's example runs locally", () => {
    const run = new Driver(KEY_ONLY).submit();
    expect(run.job('generate').outputArtifacts).toEqual([{ name: 'file', path: '/mnt/file', key: 'default/my-file' }]);
    run.finish('generate', 'Succeeded', { artifacts: run.job('generate').outputArtifacts });
    expect(run.job('consume').inputArtifacts).toEqual([{ name: 'file', path: '/tmp/file', key: 'default/my-file' }]);
  });

  it("have their own keys substituted with the workflow's names and the node's inputs, as Argo's map-reduce example needs", () => {
    const yaml = KEY_ONLY.replace('path: /tmp/file, s3: {key: my-file}}]', 'path: /tmp/file, s3: {key: "{{workflow.name}}/results/{{inputs.parameters.part}}"}}]\n      parameters: [{name: part, value: p1}]');
    const run = withRepository(yaml, { s3: { endpoint: 'minio:9000', bucket: 'my-bucket', ...credentials } });
    run.finish('generate', 'Succeeded', { artifacts: run.job('generate').outputArtifacts });
    expect(run.job('consume').inputArtifacts).toEqual([{ name: 'file', path: '/tmp/file', s3: { endpoint: 'minio:9000', bucket: 'my-bucket', ...credentials, key: `${run.state.name}/results/p1` } }]);
  });

  it('end their node in Error when the key would leave the namespace', () => {
    const run = new Driver(KEY_ONLY.replace('s3: {key: my-file}}]\n  - name: consume', 's3: {key: ../other/my-file}}]\n  - name: consume')).submit();
    expect(run.node('wf.generate')).toMatchObject({
      phase: 'Error',
      message: 'outputs.artifacts.file: key "../other/my-file" must be a path inside the namespace\'s artifacts, without ".."',
    });
  });

  it("in a data template's source take the repository's bucket", () => {
    const run = withRepository(
      `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: data-}
spec:
  entrypoint: list
  templates:
  - name: list
    data:
      source: {artifactPaths: {name: files, s3: {key: inputs/}}}
      transformation: [{expression: "filter(data, {# endsWith '.txt'})"}]
`,
      { s3: { endpoint: 'minio:9000', bucket: 'my-bucket' } },
    );
    expect(run.job('wf').data?.source.artifactPaths).toEqual({ name: 'files', s3: { endpoint: 'minio:9000', bucket: 'my-bucket', key: 'inputs/' } });
  });

  it("in a data template's source that names its bucket and no key, list the whole bucket with the repository's endpoint and credentials (Argo's data-transformations)", () => {
    const yaml = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: data-}
spec:
  entrypoint: list
  templates:
  - name: list
    data:
      source: {artifactPaths: {name: test-bucket, s3: {bucket: my-bucket}}}
      transformation: [{expression: "filter(data, {# endsWith \\"main.log\\"})"}]
`;
    const run = withRepository(yaml, { s3: { endpoint: 'minio:9000', bucket: 'other-bucket', keyFormat: '{{workflow.name}}', ...credentials } });
    expect(run.job('wf').data?.source.artifactPaths).toEqual({ name: 'test-bucket', s3: { endpoint: 'minio:9000', bucket: 'my-bucket', key: '', ...credentials } });
    const local = withRepository(yaml, { azure: { endpoint: 'http://127.0.0.1:10000/devstoreaccount1', container: 'c' } });
    expect(local.node('wf')).toMatchObject({ phase: 'Error', message: expect.stringContaining('s3 names no key, and the artifact repository is no s3 store') });
  });
});
