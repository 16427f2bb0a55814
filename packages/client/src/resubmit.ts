// Argo's resubmit: the same spec under a new name, labelled with where it came from; `memoized` also
// carries over the nodes that succeeded (renamed under the new workflow), which the new run passes over.
import { randomUUID } from 'node:crypto';
import { argoTime, freeNodeId, type NodeStatus, type Workflow } from '@regatta/spec';
import { ClientError } from './client.js';
import { generatedName } from './submit.js';

/** The resubmission of `original`; `memoized` needs a Failed or Error original (ClientError FailedPrecondition). */
export function resubmitted(original: Workflow, memoized: boolean): Workflow {
  const phase = original.status?.phase;
  if (memoized && phase !== 'Failed' && phase !== 'Error') {
    throw new ClientError('FailedPrecondition', `workflow "${original.metadata.name}" is ${phase || 'Pending'}: --memoized needs a Failed or Error workflow`);
  }
  const { shutdown: _shutdown, suspend: _suspend, ...spec } = structuredClone(original.spec);
  // The repository stays the one the original was given, as its templates do.
  const { storedTemplates, artifactRepositoryRef } = original.status ?? {};
  const name = generatedName(`${original.metadata.name}-`);
  const nodes = memoized ? succeededNodes(original, name) : undefined;
  return {
    apiVersion: original.apiVersion,
    kind: 'Workflow',
    metadata: {
      name,
      namespace: original.metadata.namespace,
      uid: randomUUID(),
      creationTimestamp: argoTime(),
      labels: { ...original.metadata.labels, 'workflows.argoproj.io/resubmitted-from-workflow': original.metadata.name ?? '' },
      ...(original.metadata.annotations && { annotations: original.metadata.annotations }),
    },
    spec,
    status: { phase: '', ...(storedTemplates && { storedTemplates }), ...(artifactRepositoryRef && { artifactRepositoryRef }), ...(nodes && { nodes }) },
  };
}

/** The nodes that succeeded or were skipped, renamed (and so re-identified) under `name`. */
function succeededNodes(original: Workflow, name: string): Record<string, NodeStatus> {
  const old = original.metadata.name ?? '';
  const all = Object.values(original.status?.nodes ?? {});
  const holders = new Map<string, string>();
  const newIds = new Map(
    all.map((n) => {
      const renamed = name + n.name.slice(old.length);
      const id = freeNodeId(name, renamed, (taken) => holders.get(taken));
      holders.set(id, renamed);
      return [n.id, id];
    }),
  );
  const kept = all.filter((n) => n.phase === 'Succeeded' || n.phase === 'Skipped');
  const keptIds = new Set(kept.map((n) => n.id));
  const nodes: Record<string, NodeStatus> = {};
  for (const node of kept) {
    const id = newIds.get(node.id)!;
    const renamed: NodeStatus = { ...node, id, name: name + node.name.slice(old.length) };
    if (node.displayName === old) renamed.displayName = name;
    if (node.boundaryID !== undefined) renamed.boundaryID = newIds.get(node.boundaryID) ?? node.boundaryID;
    if (node.children) renamed.children = node.children.filter((child) => keptIds.has(child)).map((child) => newIds.get(child)!);
    if (node.outboundNodes) renamed.outboundNodes = node.outboundNodes.map((child) => newIds.get(child) ?? child);
    nodes[id] = renamed;
  }
  return nodes;
}
