// Drivers' tests take their artifacts as a user writes them: one artifact's YAML, placed in a template's
// inputs of a minimal Workflow and read back through the spec's loader, so the fields reach the driver as
// Argo's YAML spells them.
import { loadWorkflow, type Artifact } from '@regatta/spec';

export function inputArtifact(artifactYaml: string): Artifact {
  const lines = artifactYaml.replace(/^\s*\n/, '').trimEnd().split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length));
  const item = lines.map((line, index) => `${index === 0 ? '          - ' : '            '}${line.slice(indent)}`).join('\n');
  const workflow = loadWorkflow(
    [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Workflow',
      'metadata: { generateName: artifact- }',
      'spec:',
      '  entrypoint: main',
      '  templates:',
      '    - name: main',
      '      inputs:',
      '        artifacts:',
      item,
      '      container: { image: alpine, command: [ls] }',
    ].join('\n'),
    'artifact.yaml',
  );
  const artifact = workflow.spec.templates?.[0]?.inputs?.artifacts?.[0];
  if (!artifact) throw new Error('the workflow lost its artifact');
  return artifact;
}
