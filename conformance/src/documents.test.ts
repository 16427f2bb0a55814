import { describe, expect, it } from 'vitest';
import { planFor, splitDocuments } from './documents.js';

const multi = `# leading comment
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: tpl
---
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: wf-
  labels:
    workflows.argoproj.io/no-test: "duration"
spec: {}
---
`;

describe('splitDocuments', () => {
  it('splits a file into its documents with kind, name and plan, and drops an empty trailing one', () => {
    const documents = splitDocuments(multi);
    expect(documents.map(({ index, kind, name, plan }) => ({ index, kind, name, plan }))).toEqual([
      { index: 0, kind: 'WorkflowTemplate', name: 'tpl', plan: { action: 'apply', kind: 'WorkflowTemplate' } },
      { index: 1, kind: 'Workflow', name: 'wf-', plan: { action: 'submit' } },
    ]);
  });

  it("pads each document so that its lines keep the file's line numbers", () => {
    const [, workflow] = splitDocuments(multi);
    const lines = workflow!.text.split('\n');
    expect(lines.indexOf('kind: Workflow')).toBe(multi.split('\n').indexOf('kind: Workflow'));
  });

  it("reads Argo's no-test label", () => {
    expect(splitDocuments(multi).map((document) => document.noTest)).toEqual([undefined, 'duration']);
  });

  it('still finds the kind and the no-test label of a document YAML cannot read as it is', () => {
    const lax = 'kind: Workflow\nmetadata:\n  labels:\n    workflows.argoproj.io/no-test: "environment"\nspec:\n  x: "open\n  y: 1\n';
    const [document] = splitDocuments(lax);
    expect(document).toMatchObject({ kind: 'Workflow', plan: { action: 'submit' }, noTest: 'environment' });
  });
});

describe('planFor', () => {
  it('applies templates and ConfigMaps, runs CronWorkflows once, refuses Argo kinds not run yet, and skips other kinds', () => {
    expect(planFor('ConfigMap')).toEqual({ action: 'apply', kind: 'ConfigMap' });
    expect(planFor('ClusterWorkflowTemplate')).toEqual({ action: 'apply', kind: 'ClusterWorkflowTemplate' });
    expect(planFor('CronWorkflow')).toEqual({ action: 'cron' });
    expect(planFor('WorkflowEventBinding')).toEqual({ action: 'unsupported', reason: 'WorkflowEventBinding' });
    expect(planFor('PersistentVolumeClaim')).toEqual({ action: 'not-a-workflow', reason: 'not a workflow (PersistentVolumeClaim)' });
  });
});
