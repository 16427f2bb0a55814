import { describe, expect, it } from 'vitest';
import { formatIssue } from './errors.js';
import { lintWorkflow, loadWorkflow } from './load.js';

const lint = (yaml: string) => lintWorkflow(yaml, 'wf.yaml').map(formatIssue);

describe('names that become paths on a worker', () => {
  it('refuses volume, claim and container names that are not DNS-1123, naming the field', () => {
    const issues = lint(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: names-}
spec:
  entrypoint: main
  volumes:
    - name: ../escape
      emptyDir: {}
    - name: claim
      persistentVolumeClaim: {claimName: "../../etc"}
  volumeClaimTemplates:
    - metadata: {name: "a,upperdir=/"}
  templates:
    - name: main
      containerSet:
        containers:
          - name: ../../x
            image: alpine
            command: [true]
            volumeMounts: [{name: ../escape, mountPath: /mnt}]
      sidecars:
        - name: "side,car"
          image: alpine
`);
    const label = 'it must be a DNS-1123 label: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit';
    expect(issues).toEqual([
      `wf.yaml:8:13: spec.volumes[0].name: volume name "../escape" is not valid: ${label}`,
      'wf.yaml:11:42: spec.volumes[1].persistentVolumeClaim.claimName: claim name "../../etc" is not valid: it must be a DNS-1123 subdomain: at most 253 lowercase letters, digits, "-" and ".", each part starting and ending with a letter or digit',
      `wf.yaml:13:24: spec.volumeClaimTemplates[0].metadata.name: volume name "a,upperdir=/" is not valid: ${label}`,
      `wf.yaml:18:19: spec.templates[0].containerSet.containers[0].name: container name "../../x" is not valid: ${label}`,
      `wf.yaml:21:35: spec.templates[0].containerSet.containers[0].volumeMounts[0].name: volume name "../escape" is not valid: ${label}`,
      `wf.yaml:23:17: spec.templates[0].sidecars[0].name: container name "side,car" is not valid: ${label}`,
    ]);
  });

  it("refuses artifact names outside Argo's [-a-zA-Z0-9_]+ and modes beyond permission bits, wherever they are declared or passed", () => {
    const issues = lint(`
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: names-}
spec:
  entrypoint: main
  arguments:
    artifacts: [{name: "a/evil", raw: {data: x}}]
  templates:
    - name: main
      steps:
        - - name: use
            template: use
            arguments:
              artifacts: [{name: "../b", raw: {data: x}}]
    - name: use
      inputs:
        artifacts:
          - {name: in, path: /tmp/in, mode: 04755}
          - {name: "in,2", path: /tmp/in2, optional: true}
      outputs:
        artifacts: [{name: out/x, path: /tmp/out}]
      container: {image: alpine, command: [true]}
`);
    const rule = 'it must be letters, digits, "-" and "_" only';
    expect(issues).toEqual([
      `wf.yaml:8:24: spec.arguments.artifacts[0].name: artifact name "a/evil" is not valid: ${rule}`,
      `wf.yaml:15:34: spec.templates[0].steps[0][0].arguments.artifacts[0].name: artifact name "../b" is not valid: ${rule}`,
      'wf.yaml:19:45: spec.templates[1].inputs.artifacts[0].mode: mode 2541 is not permission bits: it must be 0 to 0777 (511), without setuid, setgid or sticky bits',
      `wf.yaml:20:20: spec.templates[1].inputs.artifacts[1].name: artifact name "in,2" is not valid: ${rule}`,
      `wf.yaml:22:28: spec.templates[1].outputs.artifacts[0].name: artifact name "out/x" is not valid: ${rule}`,
    ]);
  });

  it('accepts the names of Argo examples and leaves names still to be substituted to the executor', () => {
    const yaml = `
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: names-}
spec:
  entrypoint: main
  arguments: {parameters: [{name: v, value: workdir}]}
  volumeClaimTemplates: [{metadata: {name: workdir}}]
  templates:
    - name: main
      inputs:
        artifacts: [{name: hello_art-1, path: /tmp/in, mode: 0755, raw: {data: x}}]
      container:
        image: alpine
        command: [true]
        volumeMounts: [{name: "{{workflow.parameters.v}}", mountPath: /mnt/vol}]
`;
    expect(lint(yaml)).toEqual([]);
    // YAML 1.1's octal, as Kubernetes reads Argo's \`mode: 0755\`.
    expect(loadWorkflow(yaml, 'wf.yaml').spec.templates?.[0]?.inputs?.artifacts?.[0]?.mode).toBe(0o755);
  });
});
