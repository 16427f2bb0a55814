// What the reducer asks the outside world to do, and the events it reacts to. Both are plain data so
// they can be stored in the outbox, replayed, and compared in tests.
import type { NodeJob, NodeOutputs, NodePhase } from '@regatta/spec';
import type { ControlRequest } from './control.js';

export type { NodeJob };

export type EngineCommand =
  | { type: 'dispatchNode'; job: NodeJob }
  /** Deliver `event` to this workflow at `at` (ISO time), e.g. when a retry's backoff ends. */
  | { type: 'scheduleEvent'; at: string; event: EngineEvent }
  /** Stop these nodes' processes: the engine has already ended them. */
  | { type: 'cancelNodes'; nodeIds: string[] };

export type EngineEvent =
  | { type: 'workflowSubmitted' }
  | { type: 'timerFired'; nodeId: string }
  | { type: 'control'; control: ControlRequest }
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
  /** Why a control event could not apply (e.g. the workflow has ended); nothing changed then. */
  refused?: string;
  /** True when the event changed nothing because it was already applied (a redelivery). */
  duplicate: boolean;
}
