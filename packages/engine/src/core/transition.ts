// One reducer step in progress: the time it runs at, the commands it produced, and the nodes that
// ended during it, processed in order so that no handler re-enters another.
import type { Arguments, NodePhase, NodeStatus, Template, TemplateRef } from '@regatta/spec';
import type { EngineCommand } from './commands.js';
import type { WorkflowState } from './state.js';

export interface TemplateCall {
  nodeName: string;
  displayName: string;
  template: Template;
  arguments?: Arguments;
  boundaryID?: string;
  /** Set when the template came from a WorkflowTemplate; the node records it instead of a name. */
  templateRef?: TemplateRef;
  /** An exit handler's or lifecycle hook's node. */
  hooked?: boolean;
  /** One attempt of a template with a retryStrategy: runs the template itself, as `{{retries}}`. */
  attempt?: number;
}

/** Runs a template as a node; steps and DAG bodies call back into it for their children. */
export type ExecuteTemplate = (t: Transition, call: TemplateCall) => NodeStatus;

export class Transition {
  readonly commands: EngineCommand[] = [];
  private readonly ended: NodeStatus[] = [];

  constructor(
    readonly state: WorkflowState,
    readonly now: string,
    private readonly executeTemplate: ExecuteTemplate,
  ) {}

  execute(call: TemplateCall): NodeStatus {
    return this.executeTemplate(this, call);
  }

  /** Ends a node and queues it so its parent reacts once the current handler returns. */
  settle(node: NodeStatus, phase: NodePhase, message?: string): void {
    node.phase = phase;
    if (message !== undefined && message !== '') node.message = message;
    node.finishedAt = this.now;
    this.state.touch(node.id);
    this.ended.push(node);
  }

  /** Marks a node that was created already ended (skipped, omitted, refused). */
  queueEnded(node: NodeStatus): void {
    this.ended.push(node);
  }

  drain(onEnded: (node: NodeStatus) => void): void {
    // Handlers may queue more nodes while this runs; an index walk keeps each step O(1).
    for (let i = 0; i < this.ended.length; i++) onEnded(this.ended[i]!);
    this.ended.length = 0;
  }
}
