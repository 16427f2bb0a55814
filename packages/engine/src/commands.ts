// What the reducer asks the outside world to do, and the events it reacts to. Both are plain data so
// they can be stored in the outbox, replayed, and compared in tests.
import type { NodeJob, NodeOutputs, NodePhase } from '@regatta/spec';

export type { NodeJob };

export type EngineCommand =
  | { type: 'dispatchNode'; job: NodeJob }
  /** Deliver `event` to this workflow at `at` (ISO time), e.g. when a retry's backoff ends. */
  | { type: 'scheduleEvent'; at: string; event: EngineEvent };

export type EngineEvent =
  | { type: 'workflowSubmitted' }
  | { type: 'timerFired'; nodeId: string }
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
