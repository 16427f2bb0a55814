import { describe, expect, it } from 'vitest';
import { fnv1a32, loadWorkflow } from '@regatta/spec';
import { Driver } from '../test-support/drive.js';
import { unsupportedFeatures } from './support.js';

const PASSING = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: pass-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: make, template: make}
    - - name: use
        template: use
        arguments:
          artifacts: [{name: message, from: "{{steps.make.outputs.artifacts.out}}"}]
  - name: make
    container: {image: busybox, command: [sh, -c, "echo hi > /tmp/out.txt"]}
    outputs:
      artifacts:
      - {name: out, path: /tmp/out.txt, globalName: shared}
      - {name: plain, path: /tmp/plain.txt, archive: {none: {}}}
  - name: use
    inputs:
      artifacts:
      - {name: message, path: /tmp/in/message}
      - {name: note, path: /tmp/note, raw: {data: "a note"}}
    container: {image: busybox, command: [cat, "{{inputs.artifacts.message.path}}"]}
`;

const made = { name: 'out', path: '/tmp/out.txt', key: 'wf/key/out.tgz' };

describe('output artifacts', () => {
  it('are dispatched with keys in Argo default format, .tgz unless archive is none', () => {
    const run = new Driver(PASSING).submit();
    const pod = `wf-make-${fnv1a32('wf[0].make')}`;
    expect(run.job('make').outputArtifacts).toEqual([
      { name: 'out', path: '/tmp/out.txt', globalName: 'shared', key: `wf/${pod}/out.tgz` },
      { name: 'plain', path: '/tmp/plain.txt', archive: { none: {} }, key: `wf/${pod}/plain` },
    ]);
  });

  it('are kept on the node, and a globalName makes a workflow output', () => {
    const run = new Driver(PASSING).submit().finish('make', 'Succeeded', { artifacts: [made] });
    expect(run.node('wf[0].make').outputs?.artifacts).toEqual([made]);
    expect(run.state.status.outputs?.artifacts).toEqual([{ ...made, name: 'shared' }]);
  });
});

describe('input artifacts', () => {
  it('bind a step argument from an earlier step, and the input raw data, and resolve their path', () => {
    const run = new Driver(PASSING).submit().finish('make', 'Succeeded', { artifacts: [made] });
    const job = run.job('use');
    expect(job.inputArtifacts).toEqual([
      { name: 'message', path: '/tmp/in/message', key: 'wf/key/out.tgz' },
      { name: 'note', path: '/tmp/note', raw: { data: 'a note' } },
    ]);
    expect(job.container.command).toEqual(['cat', '/tmp/in/message']);
    expect(run.node('wf[1].use').inputs?.artifacts).toEqual(job.inputArtifacts);
  });

  it('bind a DAG argument from an earlier task', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: dag-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: make}
      - name: b
        dependencies: [a]
        template: use
        arguments: {artifacts: [{name: message, from: "{{tasks.a.outputs.artifacts.out}}"}]}
  - name: make
    container: {image: busybox, command: ["true"]}
    outputs: {artifacts: [{name: out, path: /tmp/out.txt}]}
  - name: use
    inputs: {artifacts: [{name: message, path: /tmp/message}]}
    container: {image: busybox, command: [cat, /tmp/message]}
`).submit();
    run.finish('a', 'Succeeded', { artifacts: [made] });
    expect(run.job('b').inputArtifacts).toEqual([{ name: 'message', path: '/tmp/message', key: 'wf/key/out.tgz' }]);
  });

  it('fail the call when the artifact it names was not saved', () => {
    const run = new Driver(PASSING).submit().finish('make', 'Succeeded', { artifacts: [] });
    const use = run.node('wf[1].use');
    expect(use.phase).toBe('Error');
    expect(use.message).toBe('inputs.artifacts.message: unable to resolve {{steps.make.outputs.artifacts.out}}');
  });

  it('fail the call when a required one is not supplied, and skip an optional one', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: missing-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: bare, template: use}
  - name: use
    inputs:
      artifacts:
      - {name: maybe, path: /tmp/maybe, optional: true}
      - {name: needed, path: /tmp/needed}
    container: {image: busybox, command: ["true"]}
`).submit();
    expect(run.node('wf[0].bare').message).toBe('inputs.artifacts.needed was not supplied');
  });
});

describe('artifact refusals', () => {
  it('name the locations Regatta cannot fetch, and repository settings', () => {
    const workflow = loadWorkflow(
      `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: s3-}
spec:
  entrypoint: main
  artifactRepositoryRef: {key: my-repo}
  templates:
  - name: main
    inputs:
      artifacts:
      - {name: data, path: /tmp/data, s3: {key: data.tgz}}
      - {name: note, path: /tmp/note, raw: {data: fine}}
    container: {image: busybox, command: ["true"]}
`,
      's3.yaml',
    );
    expect(unsupportedFeatures(workflow)).toEqual([
      { path: 'spec.artifactRepositoryRef', feature: 'artifactRepositoryRef' },
      {
        path: 'spec.templates[0].inputs.artifacts[0].s3',
        feature: 's3 artifacts (they need an artifact repository Regatta does not have)',
      },
    ]);
  });
});
