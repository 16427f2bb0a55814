// The pod's volumes from the node's: the workflow's own claims (volumeClaimTemplates) carry Argo's
// name `<workflow>-<claim>`; the others are Kubernetes' volume sources as written.
import type { V1Volume } from '@kubernetes/client-node';
import type { NodeJob, NodeVolume } from '@regatta/spec';
import { workflowClaimName } from './volume-claims.js';

export function podVolume(volume: NodeVolume, workflow: NodeJob['workflow']): V1Volume {
  const { name } = volume;
  if ('emptyDir' in volume) return { name, emptyDir: volume.emptyDir === true ? {} : { ...volume.emptyDir } };
  if ('hostPath' in volume) return { name, hostPath: { ...volume.hostPath } };
  if ('configMap' in volume) return { name, configMap: { ...volume.configMap } };
  if ('secret' in volume) return { name, secret: { ...volume.secret } };
  const claimName = volume.claim.ofWorkflow ? workflowClaimName(workflow.name, volume.claim.name) : volume.claim.name;
  return { name, persistentVolumeClaim: { claimName, ...(volume.readOnly && { readOnly: true }) } };
}
