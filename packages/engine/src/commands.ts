// What the reducer asks the outside world to do, and the events it reacts to. Both are plain data so
// they can be stored in the outbox, replayed, and compared in tests.
import type { Container, NodeOutputs, NodePhase, Parameter } from '@regatta/spec';

/** Everything a worker needs to run one node attempt, already substituted. */
export interface NodeJob {
  workflow: { name: string; namespace: string; uid: string };
  nodeId: string;
  nodeName: string;
  attempt: number;
  templateName: string;
  container: Container;
  script?: { source: string };
  outputParameters?: Parameter[];
}

export type EngineCommand = { type: 'dispatchNode'; job: NodeJob };

export type EngineEvent =
  | { type: 'workflowSubmitted' }
  | {
      type: 'nodeFinished';
      nodeId: string;
      attempt: number;
      phase: Extract<NodePhase, 'Succeeded' | 'Failed' | 'Error'>;
      message?: string;
      outputs?: NodeOutputs;
      finishedAt?: string;
    };

export interface EngineResult {
  commands: EngineCommand[];
  /** True when the event changed nothing because it was already applied (a redelivery). */
  duplicate: boolean;
}
