import { describe, expect, it } from 'vitest';
import { SpecError } from './errors.js';
import { loadWorkflowEventBindings } from './load-resources.js';

const BINDING = `apiVersion: argoproj.io/v1alpha1
kind: WorkflowEventBinding
metadata:
  name: event-consumer
spec:
  event:
    selector: payload.message != "" && discriminator == "my-discriminator"
  submit:
    workflowTemplateRef:
      name: my-wf-tmple
    metadata:
      labels: {someLabel: '"literal string"'}
    arguments:
      parameters:
      - name: message
        valueFrom:
          event: payload.message
`;

function issuesOf(text: string): string[] {
  try {
    loadWorkflowEventBindings(text, 'b.yaml');
  } catch (error) {
    if (error instanceof SpecError) return error.issues.map((i) => `${i.line}: ${i.path}: ${i.message}`);
    throw error;
  }
  throw new Error('expected a SpecError');
}

describe('loading WorkflowEventBindings', () => {
  it("takes Argo's example as it is", () => {
    const [binding] = loadWorkflowEventBindings(BINDING, 'b.yaml');
    expect(binding?.spec.submit?.arguments?.parameters).toEqual([{ name: 'message', valueFrom: { event: 'payload.message' } }]);
    expect(binding?.spec.event.selector).toBe('payload.message != "" && discriminator == "my-discriminator"');
  });

  it('names the line and field of a missing selector, a parameter without valueFrom.event, an unknown field and a bad clusterScope', () => {
    const text = BINDING.replace('    selector: payload.message != "" && discriminator == "my-discriminator"\n', '    selecter: x\n')
      .replace('        valueFrom:\n          event: payload.message\n', '        value: fixed\n')
      .replace('      name: my-wf-tmple\n', '      name: my-wf-tmple\n      clusterScope: "yes"\n');
    expect(issuesOf(text)).toEqual([
      '7: spec.event.selector: must be an expression (a non-empty string)',
      '7: spec.event.selecter: unknown field "selecter"; expected selector',
      '11: spec.submit.workflowTemplateRef.clusterScope: must be true or false',
      '16: spec.submit.arguments.parameters[0].valueFrom: must be a map with an event expression',
      '17: spec.submit.arguments.parameters[0].value: unknown field "value"; expected name, valueFrom',
    ]);
  });

  it('refuses another kind and a binding without a name', () => {
    expect(issuesOf(BINDING.replace('kind: WorkflowEventBinding', 'kind: Workflow').replace('  name: event-consumer\n', '  labels: {}\n'))).toEqual([
      '2: kind: kind "Workflow" is not supported here; expected WorkflowEventBinding',
      '4: metadata: metadata needs a name',
    ]);
  });
});
