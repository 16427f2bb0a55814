// The claims a workflow creates from its `volumeClaimTemplates`, as Argo's createPVCs makes them: named
// `<workflow>-<claim>`, labelled with the workflow, owned by it where the cluster has it. Creating and
// deleting them (per `volumeClaimGC`) is the executor's I/O; this only shapes them.
import type { V1OwnerReference, V1PersistentVolumeClaim } from '@kubernetes/client-node';
import type { VolumeClaimTemplate } from '@regatta/spec';
import { LABEL_WORKFLOW } from './labels.js';
import { PodBuildError } from './pod-build-error.js';

/** Argo's name of the claim a workflow creates from its volumeClaimTemplate `claim`. */
export function workflowClaimName(workflow: string, claim: string): string {
  return `${workflow}-${claim}`;
}

export function workflowClaims(
  workflow: { name: string; namespace: string },
  templates: VolumeClaimTemplate[],
  owner?: V1OwnerReference,
): V1PersistentVolumeClaim[] {
  return templates.map((template, index) => {
    const metadata = (template.metadata ?? {}) as NonNullable<V1PersistentVolumeClaim['metadata']>;
    if (!metadata.name) throw new PodBuildError(`volumeClaimTemplates[${index}].metadata.name is required`);
    return {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        ...metadata,
        name: workflowClaimName(workflow.name, metadata.name),
        namespace: workflow.namespace,
        labels: { ...metadata.labels, [LABEL_WORKFLOW]: workflow.name },
        ...(owner && { ownerReferences: [owner] }),
      },
      spec: template.spec as V1PersistentVolumeClaim['spec'],
    };
  });
}
