// `regatta submit --from kind/name`: Argo's way to run a stored resource now. A CronWorkflow gives the
// workflow of a tick at this instant (named `<cron>-<random>`, counted among the cron's children); a
// WorkflowTemplate or ClusterWorkflowTemplate gives a workflow that refers to it by workflowTemplateRef.
import { workflowFromCron, type Workflow } from '@regatta/spec';
import { CronStore } from '@regatta/store';
import type { Connection } from '../connection.js';

export interface FromResource {
  workflow: Workflow;
  /** Called once the workflow is stored. */
  submitted(workflow: Workflow): Promise<void>;
}

const KINDS: Record<string, 'CronWorkflow' | 'WorkflowTemplate' | 'ClusterWorkflowTemplate'> = {
  cronwf: 'CronWorkflow',
  cronworkflow: 'CronWorkflow',
  workflowtemplate: 'WorkflowTemplate',
  wftmpl: 'WorkflowTemplate',
  clusterworkflowtemplate: 'ClusterWorkflowTemplate',
  cwftmpl: 'ClusterWorkflowTemplate',
};

export async function workflowFrom(connection: Connection, from: string, namespace: string): Promise<FromResource> {
  const slash = from.indexOf('/');
  const kind = KINDS[from.slice(0, slash).toLowerCase()];
  const name = from.slice(slash + 1);
  if (slash <= 0 || !kind || name === '') throw new Error(`--from expects cronwf/NAME, workflowtemplate/NAME or clusterworkflowtemplate/NAME, got "${from}"`);
  if (kind === 'CronWorkflow') {
    const cron = await connection.resources.get('CronWorkflow', namespace, name);
    if (!cron) throw new Error(`CronWorkflow "${name}" not found in namespace "${namespace}"`);
    return {
      workflow: workflowFromCron(cron, Date.now()),
      submitted: async (workflow) => {
        const uid = workflow.metadata.uid!;
        await new CronStore(connection.redis, connection.keys.prefix).addChild(namespace, name, { uid, name: workflow.metadata.name! });
      },
    };
  }
  const clusterScope = kind === 'ClusterWorkflowTemplate';
  const template = await connection.resources.get(kind, clusterScope ? '' : namespace, name);
  if (!template) throw new Error(clusterScope ? `ClusterWorkflowTemplate "${name}" not found` : `WorkflowTemplate "${name}" not found in namespace "${namespace}"`);
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
