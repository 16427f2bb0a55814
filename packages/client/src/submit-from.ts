// Argo's submit from a stored resource. A CronWorkflow gives the workflow of a tick at this instant
// (named `<cron>-<random>`, counted among the cron's children); a WorkflowTemplate or
// ClusterWorkflowTemplate gives a workflow that refers to it by workflowTemplateRef.
import { workflowFromCron, type Workflow } from '@regatta/spec';
import { CronStore, type ResourceStore } from '@regatta/store';
import { ClientError, type SubmittableKind } from './client.js';

export interface FromResource {
  workflow: Workflow;
  /** Called once the workflow is stored. */
  submitted(workflow: Workflow): Promise<void>;
}

export async function workflowFrom(resources: ResourceStore, crons: CronStore, kind: SubmittableKind, name: string, namespace: string): Promise<FromResource> {
  if (kind === 'CronWorkflow') {
    const cron = await resources.get('CronWorkflow', namespace, name);
    if (!cron) throw new ClientError('NotFound', `CronWorkflow "${name}" not found in namespace "${namespace}"`);
    return {
      workflow: workflowFromCron(cron, Date.now()),
      submitted: async (workflow) => {
        const uid = workflow.metadata.uid!;
        await crons.addChild(namespace, name, { uid, name: workflow.metadata.name! });
      },
    };
  }
  const clusterScope = kind === 'ClusterWorkflowTemplate';
  const template = await resources.get(kind, clusterScope ? '' : namespace, name);
  if (!template) throw new ClientError('NotFound', clusterScope ? `ClusterWorkflowTemplate "${name}" not found` : `WorkflowTemplate "${name}" not found in namespace "${namespace}"`);
  const labels = { [clusterScope ? 'workflows.argoproj.io/cluster-workflow-template' : 'workflows.argoproj.io/workflow-template']: name };
  return {
    workflow: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Workflow',
      metadata: { generateName: `${name}-`, namespace, labels },
      spec: { workflowTemplateRef: { name, ...(clusterScope && { clusterScope: true }) } },
    } as Workflow,
    submitted: async () => {},
  };
}
