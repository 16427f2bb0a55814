// What the reducer asks the outside world to do, and the events it reacts to. Both are plain data so
// they can be stored in the outbox, replayed, and compared in tests.
import type { Artifact, ContainerResult, CustomMetric, NodeJob, NodeOutputs, NodePhase } from '@regatta/spec';

export type { NodeJob };

/** Argo's controls on a running workflow (features/control.ts applies them). */
export type ControlRequest =
  | { action: 'stop' | 'terminate' }
  | { action: 'suspend' }
  | { action: 'resume'; nodeFieldSelector?: string }
  | { action: 'setNode'; nodeFieldSelector: string; phase?: 'Succeeded' | 'Failed' | 'Error'; message?: string; outputParameters?: Record<string, string> }
  | { action: 'deadline' }
  | { action: 'retry' };

/** The controls a user sends; `deadline` is the scheduler's own. */
export type UserControl = Exclude<ControlRequest, { action: 'deadline' }>;

/** One lock of Argo's synchronization (features/synchronization.ts asks for them). */
export interface LockRequest {
  /** Argo's lock key: `<namespace>/ConfigMap/<name>/<key>` or `<namespace>/Mutex/<name>`. */
  name: string;
  /** A semaphore's limit lives here; a mutex has none (its limit is 1). */
  configMap?: { namespace: string; name: string; key: string };
}

/** Where a memoized node's outputs are looked up (features/memoize.ts). */
export interface MemoLookup {
  namespace: string;
  cacheName: string;
  key: string;
  /** Older entries are misses. */
  maxAgeMs?: number;
}

/** A ConfigMap key a template input's value is read from when its node starts (features/configmap-inputs.ts). */
export interface ConfigMapKey {
  name: string;
  key: string;
}

/** What the workflow's namespace holds at a ConfigMap key: its value, or which of the two is missing. */
export interface ConfigMapKeyValue extends ConfigMapKey {
  value?: string;
  missing?: 'configMap' | 'key';
}

/** An artifact artifactGC deletes from its store, with the node whose output it is. */
export interface GarbageArtifact {
  nodeId: string;
  artifact: Artifact;
}

/** The artifactGC strategies that delete something. */
export type CollectingStrategy = 'OnWorkflowCompletion' | 'OnWorkflowDeletion';

/** How one artifact's deletion went; `message` names what failed (never a secret). */
export interface CollectedArtifact {
  nodeId: string;
  name: string;
  message?: string;
}

export type EngineCommand =
  | { type: 'dispatchNode'; job: NodeJob }
  /** Deliver `event` to this workflow at `at` (ISO time), e.g. when a retry's backoff ends. */
  | { type: 'scheduleEvent'; at: string; event: EngineEvent }
  /** Stop these nodes' processes: the engine has already ended them. */
  | { type: 'cancelNodes'; nodeIds: string[] }
  /** Take these locks for the node (or the workflow, without one); answered by `locksAcquired`. */
  | { type: 'acquireLocks'; nodeId?: string; locks: LockRequest[]; priority: number; createdAt: string }
  | { type: 'releaseLocks'; nodeId?: string; locks: LockRequest[] }
  /** Answered by `memoAnswered`, with the outputs on a hit. */
  | ({ type: 'lookupMemo'; nodeId: string } & MemoLookup)
  /** Read these keys from the namespace's ConfigMaps for the node's inputs; answered by `configMapsRead`. */
  | { type: 'readConfigMaps'; nodeId: string; namespace: string; keys: ConfigMapKey[] }
  | { type: 'saveMemo'; nodeId: string; namespace: string; cacheName: string; key: string; outputs: NodeOutputs }
  /** Argo's custom metrics of a template or the workflow, for the scheduler's registry. */
  | { type: 'emitMetrics'; metrics: CustomMetric[] }
  /**
   * Remove the ended workflow from the store (its ttlStrategy expired); artifacts of OnWorkflowDeletion
   * first: should one fail, the workflow stays (its condition says why) unless `forceFinalizerRemoval`.
   */
  | { type: 'deleteWorkflow'; namespace: string; name: string; artifacts?: GarbageArtifact[]; forceFinalizerRemoval?: boolean }
  /** artifactGC: delete these artifacts from their stores (deletes are idempotent), answered by `artifactsCollected`. */
  | { type: 'collectArtifacts'; strategy: CollectingStrategy; namespace: string; artifacts: GarbageArtifact[] }
  /** podGC: drop these nodes' log lines. */
  | { type: 'deleteNodeLogs'; nodeIds: string[] }
  /** volumeClaimGC: the claims the workflow made for itself (volumeClaimTemplates) are no longer needed. */
  | { type: 'deleteVolumeClaims' };

export type EngineEvent =
  | { type: 'workflowSubmitted' }
  | { type: 'timerFired'; nodeId: string }
  | { type: 'control'; control: ControlRequest }
  | { type: 'locksAcquired'; nodeId?: string }
  /** The locks cannot be had at all (e.g. the semaphore's ConfigMap is missing). */
  | { type: 'locksRefused'; nodeId?: string; message: string }
  | { type: 'memoAnswered'; nodeId: string; outputs?: NodeOutputs }
  /** The keys a `readConfigMaps` asked for, or (`message`) why they could not be read. */
  | { type: 'configMapsRead'; nodeId: string; values: ConfigMapKeyValue[]; message?: string }
  /** A daemon's process has started: its node is daemoned and its scope goes on. */
  | { type: 'nodeDaemoned'; nodeId: string; attempt: number }
  | { type: 'ttlExpired' }
  /** artifactGC's outcome: each artifact deleted, or not with the reason. */
  | { type: 'artifactsCollected'; strategy: CollectingStrategy; artifacts: CollectedArtifact[] }
  | {
      type: 'nodeFinished';
      nodeId: string;
      attempt: number;
      phase: Extract<NodePhase, 'Succeeded' | 'Failed' | 'Error'>;
      message?: string;
      outputs?: NodeOutputs;
      finishedAt?: string;
      /** A containerSet node: how each of its containers ended. */
      containers?: ContainerResult[];
      /** The Kubernetes node its pod ran on. */
      hostNodeName?: string;
    };

export interface EngineResult {
  commands: EngineCommand[];
  /** Why a control event could not apply (e.g. the workflow has ended); nothing changed then. */
  refused?: string;
  /** True when the event changed nothing because it was already applied (a redelivery). */
  duplicate: boolean;
}
