// A pod's volumes, as Argo builds its pod: each volume that one of its containers mounts, found by name
// among the template's `volumes`, the workflow's `volumes` and the claims the workflow creates
// (`volumeClaimTemplates`). Where a volume's files live is the executor's business.
import type { Container, NodeVolume, Template, Volume, WorkflowSpec } from '@regatta/spec';
import type { Transition } from '../core/transition.js';

/** The volumes mounted by the pod's `containers`; a message naming the volume where a name is not defined. */
export function podVolumes(spec: WorkflowSpec, template: Template, containers: Container[]): NodeVolume[] | string {
  const volumes: NodeVolume[] = [];
  for (const { name } of containers.flatMap((container) => container.volumeMounts ?? [])) {
    if (volumes.some((volume) => volume.name === name)) continue;
    const volume = findVolume(spec, template, name);
    if (!volume) return `volume "${name}" is mounted but not defined in the template's or the workflow's volumes or volumeClaimTemplates`;
    volumes.push(volume);
  }
  return volumes;
}

function findVolume(spec: WorkflowSpec, template: Template, name: string): NodeVolume | undefined {
  const declared = [...(template.volumes ?? []), ...(spec.volumes ?? [])].find((volume) => volume.name === name);
  if (declared) return fromVolume(declared);
  const claimed = (spec.volumeClaimTemplates ?? []).some((claim) => claim.metadata?.name === name);
  return claimed ? { name, claim: { name, ofWorkflow: true } } : undefined;
}

/** Only the kinds local mode provides reach here: submission refuses the others. */
function fromVolume({ name, emptyDir, persistentVolumeClaim, hostPath }: Volume): NodeVolume | undefined {
  if (emptyDir !== undefined) return { name, emptyDir: true };
  if (persistentVolumeClaim) {
    return { name, claim: { name: persistentVolumeClaim.claimName, ofWorkflow: false }, ...(persistentVolumeClaim.readOnly && { readOnly: true }) };
  }
  if (hostPath) return { name, hostPath: { path: hostPath.path, ...(hostPath.type && { type: hostPath.type }) } };
  return undefined;
}

/** The workflow ended: its own claims go, on completion (Argo's default) or, with OnWorkflowSuccess, when it succeeded. */
export function releaseVolumeClaims(t: Transition): void {
  const { spec } = t.state.workflow;
  if (!spec.volumeClaimTemplates?.length) return;
  const strategy = (spec.volumeClaimGC as { strategy?: string } | undefined)?.strategy ?? 'OnWorkflowCompletion';
  if (strategy === 'OnWorkflowCompletion' || (strategy === 'OnWorkflowSuccess' && t.state.status.phase === 'Succeeded')) {
    t.commands.push({ type: 'deleteVolumeClaims' });
  }
}
