// Argo's artifactGC: which of a workflow's stored output artifacts a strategy deletes (the artifact's
// own `artifactGC`, else the workflow's, else Never), the command that deletes them when the workflow
// completes, and the record of how it went (`status.artifactGCStatus`, an `ArtifactGCError` condition,
// `deleted` on each artifact gone). The deleting itself is the scheduler's (or `delete`'s), through a
// driver; a repeated command deletes again, which stores take as done.
import type { Artifact, ArtifactGCStrategy, NodeStatus } from '@regatta/spec';
import type { CollectedArtifact, CollectingStrategy, EngineCommand, EngineEvent, GarbageArtifact } from '../core/commands.js';
import type { Transition } from '../core/transition.js';
import type { WorkflowState } from '../core/state.js';
import { nodeTemplate } from '../templates/call-spec.js';
import { KEYED_STORES } from './artifact-locations.js';

/** Argo's condition type for a failed collection. */
const GC_ERROR = 'ArtifactGCError';

/** The artifacts of pods the strategy deletes and that are not deleted yet. */
export function artifactsCollectedOn(state: WorkflowState, strategy: CollectingStrategy): GarbageArtifact[] {
  return storedArtifacts(state).filter((garbage) => garbage.strategy === strategy).map(({ nodeId, artifact }) => ({ nodeId, artifact }));
}

/** Each pod's stored output artifact with its strategy: the declared artifact's, the reported one's, the workflow's. */
function storedArtifacts(state: WorkflowState): (GarbageArtifact & { strategy: ArtifactGCStrategy })[] {
  const fallback = state.workflow.spec.artifactGC?.strategy || 'Never';
  const found: (GarbageArtifact & { strategy: ArtifactGCStrategy })[] = [];
  for (const node of Object.values(state.status.nodes)) {
    if (node.type !== 'Pod' || !node.outputs?.artifacts?.length) continue;
    const declared = nodeTemplate(state, node)?.outputs?.artifacts;
    for (const artifact of node.outputs.artifacts) {
      if (artifact.deleted || !isStored(artifact)) continue;
      const own = declared?.find((d) => d.name === artifact.name)?.artifactGC?.strategy || artifact.artifactGC?.strategy;
      found.push({ nodeId: node.id, artifact, strategy: own || fallback });
    }
  }
  return found;
}

/** Saved by the workflow into a store: the local `key` or a keyed store's location (raw data and git/http inputs are not). */
function isStored(artifact: Artifact): boolean {
  return artifact.key !== undefined || KEYED_STORES.some((store) => artifact[store] !== undefined);
}

/**
 * The workflow ended: its OnWorkflowCompletion artifacts are deleted. One whose stored artifacts no strategy
 * collects says so (`notSpecified`), as Argo does; a workflow without stored artifacts keeps its status as it was.
 */
export function collectOnCompletion(t: Transition): void {
  const stored = storedArtifacts(t.state);
  const artifacts = stored.filter(({ strategy }) => strategy === 'OnWorkflowCompletion').map(({ nodeId, artifact }) => ({ nodeId, artifact }));
  if (artifacts.length > 0) {
    t.commands.push({ type: 'collectArtifacts', strategy: 'OnWorkflowCompletion', namespace: t.state.namespace, artifacts });
  } else if (stored.length > 0 && stored.every(({ strategy }) => strategy !== 'OnWorkflowDeletion')) {
    t.state.status.artifactGCStatus = { ...t.state.status.artifactGCStatus, notSpecified: true };
    t.state.touchStatus();
  }
}

/** The ttlStrategy's deletion: OnWorkflowDeletion's artifacts go first (the scheduler deletes them, then the workflow). */
export function deletionCommand(state: WorkflowState): Extract<EngineCommand, { type: 'deleteWorkflow' }> {
  const artifacts = artifactsCollectedOn(state, 'OnWorkflowDeletion');
  const force = state.workflow.spec.artifactGC?.forceFinalizerRemoval === true;
  return {
    type: 'deleteWorkflow',
    namespace: state.namespace,
    name: state.name,
    ...(artifacts.length > 0 && { artifacts, ...(force && { forceFinalizerRemoval: true }) }),
  };
}

/** Records a collection: artifacts deleted are marked, the strategy processed, failures in the ArtifactGCError condition. */
export function onArtifactsCollected(t: Transition, event: Extract<EngineEvent, { type: 'artifactsCollected' }>): void {
  const { status } = t.state;
  const failed: string[] = [];
  for (const result of event.artifacts) {
    const node = t.state.node(result.nodeId);
    if (result.message !== undefined) failed.push(describeFailure(node, result));
    else if (node) markDeleted(t, node, result.name);
  }
  const gc = (status.artifactGCStatus ??= {});
  gc.strategiesProcessed = { ...gc.strategiesProcessed, [event.strategy]: true };
  const others = (status.conditions ?? []).filter((condition) => condition.type !== GC_ERROR);
  if (failed.length > 0) {
    status.conditions = [...others, { type: GC_ERROR, status: 'True', message: `Artifact Garbage Collection failed for strategy ${event.strategy}: ${failed.join('; ')}` }];
  } else if (others.length > 0) status.conditions = others;
  else delete status.conditions;
  t.state.touchStatus();
}

function markDeleted(t: Transition, node: NodeStatus, name: string): void {
  const artifact = node.outputs?.artifacts?.find((a) => a.name === name);
  if (!artifact || artifact.deleted) return;
  artifact.deleted = true;
  t.state.touch(node.id);
}

function describeFailure(node: NodeStatus | undefined, result: CollectedArtifact): string {
  return `artifact "${result.name}" of node ${node?.name ?? result.nodeId}: ${result.message}`;
}
