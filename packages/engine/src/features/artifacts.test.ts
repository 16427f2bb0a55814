import { describe, expect, it } from 'vitest';
import { fnv1a32, loadWorkflow } from '@regatta/spec';
import { Driver } from '../../test-support/drive.js';
import { unsupportedFeatures } from '../checks/support.js';
import { expressionIssues } from '../checks/static-checks.js';

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
  it("are dispatched with keys under the workflow's namespace and uid, then Argo's pod name, .tgz unless archive is none", () => {
    const run = new Driver(PASSING).submit();
    const pod = `wf-make-${fnv1a32('wf[0].make')}`;
    expect(run.job('make').outputArtifacts).toEqual([
      { name: 'out', path: '/tmp/out.txt', globalName: 'shared', key: `default/uid-1/${pod}/out.tgz` },
      { name: 'plain', path: '/tmp/plain.txt', archive: { none: {} }, key: `default/uid-1/${pod}/plain` },
    ]);
  });

  it("take a bare key within the workflow's own namespace, and refuse one that climbs out of it", () => {
    const yaml = (key: string) => `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: bare-}
spec:
  entrypoint: main
  templates:
  - name: main
    inputs:
      artifacts: [{name: data, path: /tmp/data, key: "${key}"}]
    container: {image: busybox, command: [cat, /tmp/data]}
`;
    expect(new Driver(yaml('shared/data.tgz')).submit().job('wf').inputArtifacts).toEqual([{ name: 'data', path: '/tmp/data', key: 'default/shared/data.tgz' }]);
    const other = new Driver(yaml('../team-b/uid-9/pod/secret.tgz')).submit();
    expect(other.node('wf')).toMatchObject({ phase: 'Error', message: 'inputs.artifacts.data: key "../team-b/uid-9/pod/secret.tgz" must be a path inside the namespace\'s artifacts, without ".."' });
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
  it('name the stores Regatta has no driver for, and accept the others with repository settings', () => {
    const workflow = loadWorkflow(
      `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: stores-}
spec:
  entrypoint: main
  artifactRepositoryRef: {key: my-repo}
  artifactGC: {strategy: OnWorkflowCompletion}
  templates:
  - name: main
    archiveLocation: {oss: {key: logs}}
    inputs:
      artifacts:
      - {name: data, path: /tmp/data, s3: {key: data.tgz}}
      - {name: old, path: /tmp/old, hdfs: {path: /old}}
      - {name: note, path: /tmp/note, raw: {data: fine}}
    container: {image: busybox, command: ["true"]}
    outputs:
      artifacts:
      - {name: zipped, path: /tmp/z, archive: {zip: {}}, artifactGC: {strategy: Never}}
      - {name: custom, path: /tmp/c, plugin: {name: mine}}
      - {name: later, path: /tmp/l, artifactGC: {strategy: OnWorkflowSuccess}}
`,
      'stores.yaml',
    );
    expect(unsupportedFeatures(workflow)).toEqual([
      { path: 'spec.templates[0].inputs.artifacts[1].hdfs', feature: 'hdfs artifacts (Regatta has no hdfs store)' },
      { path: 'spec.templates[0].archiveLocation.oss', feature: 'oss artifacts (Regatta has no oss store)' },
      { path: 'spec.templates[0].outputs.artifacts[1].plugin', feature: 'plugin artifacts (Regatta has no plugin store)' },
      {
        path: 'spec.templates[0].outputs.artifacts[2].artifactGC.strategy',
        feature: 'artifactGC strategy "OnWorkflowSuccess" (Argo\'s are OnWorkflowCompletion, OnWorkflowDeletion and Never)',
      },
    ]);
  });
});

const CONDITIONAL = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: conditional-artifacts-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: flip-coin, template: flip}
    - - {name: heads, template: heads, when: "{{steps.flip-coin.outputs.result}} == heads"}
      - {name: tails, template: tails, when: "{{steps.flip-coin.outputs.result}} == tails"}
    outputs:
      artifacts:
      - name: result
        fromExpression: "steps['flip-coin'].outputs.result == 'heads' ? steps.heads.outputs.artifacts.result : steps.tails.outputs.artifacts.result"
  - name: flip
    script: {image: python:alpine3.23, command: [python], source: "print('heads')"}
  - name: heads
    container: {image: busybox, command: [sh, -c, "echo it was heads > /result.txt"]}
    outputs: {artifacts: [{name: result, path: /result.txt}]}
  - name: tails
    container: {image: busybox, command: [sh, -c, "echo it was tails > /result.txt"]}
    outputs: {artifacts: [{name: result, path: /result.txt}]}
`;

const heads = { name: 'result', path: '/result.txt', key: 'wf/heads-pod/result.tgz' };
const tails = { name: 'result', path: '/result.txt', key: 'wf/tails-pod/result.tgz' };

describe('conditional artifacts (fromExpression)', () => {
  it('pick the artifact of the step that ran as the steps output, either way the coin falls', () => {
    expect(expressionIssues(loadWorkflow(CONDITIONAL, 'conditional.yaml'))).toEqual([]);
    const onHeads = new Driver(CONDITIONAL).submit().finish('flip-coin', 'Succeeded', { result: 'heads' }).finish('heads', 'Succeeded', { artifacts: [heads] });
    expect(onHeads.node('wf[1].tails').phase).toBe('Skipped');
    expect(onHeads.node('wf')).toMatchObject({ phase: 'Succeeded', outputs: { artifacts: [{ name: 'result', key: 'wf/heads-pod/result.tgz' }] } });
    const onTails = new Driver(CONDITIONAL).submit().finish('flip-coin', 'Succeeded', { result: 'tails' }).finish('tails', 'Succeeded', { artifacts: [tails] });
    expect(onTails.node('wf')).toMatchObject({ phase: 'Succeeded', outputs: { artifacts: [{ name: 'result', key: 'wf/tails-pod/result.tgz' }] } });
  });

  it('pick a DAG task\'s artifact, and a later call can take it from the DAG', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: dag-conditional-artifacts-}
spec:
  entrypoint: outer
  templates:
  - name: outer
    steps:
    - - {name: pick, template: main}
    - - name: show
        template: show
        arguments: {artifacts: [{name: in, from: "{{steps.pick.outputs.artifacts.result}}"}]}
  - name: main
    dag:
      tasks:
      - {name: flip-coin, template: c}
      - {name: heads, depends: flip-coin, template: c, when: "{{tasks.flip-coin.outputs.result}} == heads"}
      - {name: tails, depends: flip-coin, template: c, when: "{{tasks.flip-coin.outputs.result}} == tails"}
    outputs:
      artifacts:
      - name: result
        fromExpression: "tasks['flip-coin'].outputs.result == 'heads' ? tasks.heads.outputs.artifacts.result : tasks.tails.outputs.artifacts.result"
  - name: c
    container: {image: busybox, command: ["true"]}
    outputs: {artifacts: [{name: result, path: /tmp/result.txt, optional: true}]}
  - name: show
    inputs: {artifacts: [{name: in, path: /tmp/in}]}
    container: {image: busybox, command: [cat, /tmp/in]}
`).submit();
    run.finish('flip-coin', 'Succeeded', { result: 'tails' }).finish('tails', 'Succeeded', { artifacts: [tails] });
    expect(run.node('wf[0].pick').outputs?.artifacts).toEqual([{ name: 'result', key: 'wf/tails-pod/result.tgz' }]);
    expect(run.job('show').inputArtifacts).toEqual([{ name: 'in', path: '/tmp/in', key: 'wf/tails-pod/result.tgz' }]);
  });

  it('pick a step argument by an expression over the earlier steps', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: arg-expression-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: a, template: make}
      - {name: b, template: make}
    - - name: use
        template: use
        arguments:
          artifacts:
          - {name: message, fromExpression: "steps.a.outputs.result == 'b' ? steps.b.outputs.artifacts.out : steps.a.outputs.artifacts.out"}
  - name: make
    container: {image: busybox, command: ["true"]}
    outputs: {artifacts: [{name: out, path: /tmp/out.txt}]}
  - name: use
    inputs: {artifacts: [{name: message, path: /tmp/message}]}
    container: {image: busybox, command: [cat, /tmp/message]}
`).submit();
    run.finish('a', 'Succeeded', { result: 'b', artifacts: [{ ...made, key: 'wf/a/out.tgz' }] }).finish('b', 'Succeeded', { artifacts: [{ ...made, key: 'wf/b/out.tgz' }] });
    expect(run.job('use').inputArtifacts).toEqual([{ name: 'message', path: '/tmp/message', key: 'wf/b/out.tgz' }]);
  });

  it('fail the body, naming the output and the reason, when the expression picks what did not run', () => {
    const run = new Driver(CONDITIONAL.replace("== 'heads' ?", "== 'tails' ?")).submit();
    run.finish('flip-coin', 'Succeeded', { result: 'heads' }).finish('heads', 'Succeeded', { artifacts: [heads] });
    expect(run.node('wf').phase).toBe('Error');
    expect(run.node('wf').message).toMatch(/^outputs\.artifacts\.result: fromExpression: expression ".*" : unknown name steps\.tails\.outputs\.artifacts\.result/);
  });

  it('leave out an optional output whose expression picks nothing', () => {
    const run = new Driver(CONDITIONAL.replace("  - name: result\n        fromExpression", "  - name: result\n        optional: true\n        fromExpression").replace("== 'heads' ?", "== 'tails' ?")).submit();
    run.finish('flip-coin', 'Succeeded', { result: 'heads' }).finish('heads', 'Succeeded', { artifacts: [heads] });
    expect(run.node('wf').phase).toBe('Succeeded');
    expect(run.node('wf').outputs?.artifacts).toEqual([]);
  });

  it('fail the body when the expression answers something that is not an artifact', () => {
    const run = new Driver(CONDITIONAL.replace(/fromExpression: ".*"/, `fromExpression: "steps['flip-coin'].outputs.result"`)).submit();
    run.finish('flip-coin', 'Succeeded', { result: 'heads' }).finish('heads', 'Succeeded', { artifacts: [heads] });
    expect(run.node('wf').message).toBe(
      `outputs.artifacts.result: fromExpression "steps['flip-coin'].outputs.result" evaluated to the text "heads", not an artifact`,
    );
  });

  it('are checked at submission: an expression that does not parse, and one given beside a from', () => {
    const workflow = loadWorkflow(
      CONDITIONAL.replace(/fromExpression: ".*"/, 'fromExpression: "steps.a.outputs.artifacts.x ? :"').replace(
        '- {name: heads, template: heads,',
        '- {name: heads, template: heads, arguments: {artifacts: [{name: x, from: "{{steps.flip-coin.outputs.artifacts.y}}", fromExpression: "steps.flip-coin.outputs.artifacts.y"}]},',
      ),
      'bad.yaml',
    );
    const issues = expressionIssues(workflow);
    expect(issues.map((issue) => issue.path)).toEqual([
      'spec.templates[0].outputs.artifacts[0].fromExpression',
      'spec.templates[0].steps[1][0].arguments.artifacts[0].fromExpression',
    ]);
    expect(issues[0]!.message).toMatch(/^expression "steps\.a\.outputs\.artifacts\.x \? :"/);
    expect(issues[1]!.message).toBe('artifact "x" shouldn\'t have both `from` and `fromExpression`');
    expect(unsupportedFeatures(workflow)).toEqual([]);
  });
});

const SUBPATH = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: artifact-passing-subpath-}
spec:
  entrypoint: main
  arguments: {parameters: [{name: file, value: hello_world.txt}]}
  templates:
  - name: main
    steps:
    - - {name: generate-artifact, template: make}
    - - name: consume-artifact
        template: use
        arguments:
          artifacts:
          - {name: message, from: "{{steps.generate-artifact.outputs.artifacts.hello-art}}", subPath: "{{workflow.parameters.file}}"}
  - name: make
    container: {image: busybox, command: [sh, -c, "echo hello world | tee /tmp/hello_world.txt"]}
    outputs: {artifacts: [{name: hello-art, path: /tmp/, archive: {none: {}}}]}
  - name: use
    inputs: {artifacts: [{name: message, path: /tmp/message}]}
    container: {image: busybox, command: [cat, /tmp/message]}
`;

const tree = { name: 'hello-art', path: '/tmp/', key: 'wf/make-pod/hello-art', archive: { none: {} } };

describe('artifact subPath', () => {
  it('passes the path inside an unarchived artifact: its key with the sub path appended', () => {
    expect(unsupportedFeatures(loadWorkflow(SUBPATH, 'subpath.yaml'))).toEqual([]);
    const run = new Driver(SUBPATH).submit().finish('generate-artifact', 'Succeeded', { artifacts: [tree] });
    expect(run.job('consume-artifact').inputArtifacts).toEqual([
      { name: 'message', path: '/tmp/message', key: 'wf/make-pod/hello-art/hello_world.txt', archive: { none: {} } },
    ]);
  });

  it('normalises the sub path, and refuses one that leaves the artifact or is not text, naming the input', () => {
    const nested = new Driver(SUBPATH, { parameters: { file: './a//b/../c/' } }).submit().finish('generate-artifact', 'Succeeded', { artifacts: [tree] });
    expect(nested.job('consume-artifact').inputArtifacts?.[0]?.key).toBe('wf/make-pod/hello-art/a/c');
    const numbered = new Driver(SUBPATH.replace('subPath: "{{workflow.parameters.file}}"', 'subPath: 7')).submit().finish('generate-artifact', 'Succeeded', { artifacts: [tree] });
    expect(numbered.node('wf[1].consume-artifact').message).toBe('inputs.artifacts.message: subPath must be a string');
    const escaping = new Driver(SUBPATH, { parameters: { file: '../../other-pod/secret' } }).submit().finish('generate-artifact', 'Succeeded', { artifacts: [tree] });
    expect(escaping.node('wf[1].consume-artifact')).toMatchObject({
      phase: 'Error',
      message: 'inputs.artifacts.message: subPath "../../other-pod/secret" leaves the artifact',
    });
  });

  it('fails the call clearly when the artifact was stored as an archive', () => {
    const archived = { name: 'hello-art', path: '/tmp/', key: 'wf/make-pod/hello-art.tgz' };
    const run = new Driver(SUBPATH.replace(', archive: {none: {}}', '')).submit().finish('generate-artifact', 'Succeeded', { artifacts: [archived] });
    expect(run.node('wf[1].consume-artifact')).toMatchObject({
      phase: 'Error',
      message:
        'inputs.artifacts.message: subPath "hello_world.txt" cannot be taken of an archived artifact (stored as wf/make-pod/hello-art.tgz); save the artifact with "archive: {none: {}}" to pass paths inside it',
    });
  });

  it('narrows a steps output taken from a child, and one picked by fromExpression', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: output-subpath-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: make, template: make}
    outputs:
      artifacts:
      - {name: file, from: "{{steps.make.outputs.artifacts.hello-art}}", subPath: hello_world.txt}
      - {name: picked, fromExpression: "steps.make.outputs.artifacts['hello-art']", subPath: sub/dir}
  - name: make
    container: {image: busybox, command: ["true"]}
    outputs: {artifacts: [{name: hello-art, path: /tmp/, archive: {none: {}}}]}
`).submit();
    run.finish('make', 'Succeeded', { artifacts: [tree] });
    expect(run.node('wf').outputs?.artifacts).toEqual([
      { name: 'file', key: 'wf/make-pod/hello-art/hello_world.txt', archive: { none: {} } },
      { name: 'picked', key: 'wf/make-pod/hello-art/sub/dir', archive: { none: {} } },
    ]);
  });
});

describe("a template's own input artifacts", () => {
  it('pass on to a child through from: "{{inputs.artifacts.<name>}}", the workflow argument included', () => {
    const run = new Driver(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: forward-}
spec:
  entrypoint: main
  arguments:
    artifacts: [{name: seed, raw: {data: seed-content}}]
  templates:
  - name: main
    inputs:
      artifacts: [{name: seed}]
    steps:
    - - name: consume
        template: consume
        arguments:
          artifacts: [{name: seed-art, from: "{{inputs.artifacts.seed}}"}]
  - name: consume
    inputs:
      artifacts: [{name: seed-art, path: /tmp/seed.txt}]
    container: {image: alpine, command: [cat, /tmp/seed.txt]}
`).submit();
    expect(run.job('consume').inputArtifacts).toEqual([{ name: 'seed-art', path: '/tmp/seed.txt', raw: { data: 'seed-content' } }]);
  });
});
