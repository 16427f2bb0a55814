// Drives the engine from Argo YAML in tests: submits, lets tests finish nodes by display name, and
// can reload the state from its JSON form mid-run, the way a scheduler reloads it from Redis.
import { loadWorkflow, type NodeOutputs, type NodeStatus, type Workflow } from '@regatta/spec';
import { applyEvent, WorkflowState, type EngineEvent, type EngineResult, type NodeJob } from '../src/index.js';

export class Driver {
  state: WorkflowState;
  readonly jobs = new Map<string, NodeJob>();
  readonly events: EngineEvent[] = [];
  private clock = Date.parse('2026-01-01T00:00:00Z');

  constructor(yaml: string, options: { name?: string; parameters?: Record<string, string> } = {}) {
    const workflow: Workflow = loadWorkflow(yaml, 'test.yaml', { parameters: options.parameters });
    workflow.metadata.name = options.name ?? 'wf';
    workflow.metadata.namespace = 'default';
    workflow.metadata.uid = 'uid-1';
    this.state = new WorkflowState(workflow);
  }

  submit(): this {
    return this.apply({ type: 'workflowSubmitted' });
  }

  apply(event: EngineEvent): this {
    this.applyRaw(event);
    return this;
  }

  /** Applies an event a second after the previous one; dispatched jobs join `jobs`. */
  applyRaw(event: EngineEvent): EngineResult {
    this.events.push(event);
    this.clock += 1000;
    const result = applyEvent(this.state, event, new Date(this.clock).toISOString().replace(/\.\d+Z$/, 'Z'));
    for (const command of result.commands) if (command.type === 'dispatchNode') this.jobs.set(command.job.nodeId, command.job);
    return result;
  }

  /** Display names of the nodes dispatched and not yet finished, sorted. */
  running(): string[] {
    return [...this.jobs.values()].map((job) => this.state.node(job.nodeId)!.displayName).sort();
  }

  job(displayName: string): NodeJob {
    const job = [...this.jobs.values()].find((j) => this.state.node(j.nodeId)?.displayName === displayName);
    if (!job) throw new Error(`no running node "${displayName}"; running: ${this.running().join(', ')}`);
    return job;
  }

  finish(displayName: string, phase: 'Succeeded' | 'Failed' | 'Error' = 'Succeeded', outputs?: NodeOutputs): this {
    const job = this.job(displayName);
    this.jobs.delete(job.nodeId);
    const message = phase === 'Failed' ? 'Error (exit code 1)' : undefined;
    return this.apply({ type: 'nodeFinished', nodeId: job.nodeId, attempt: job.attempt, phase, message, outputs });
  }

  /** Finishes every running node with success until none is left. */
  finishAll(): this {
    while (this.jobs.size > 0) this.finish(this.running()[0]!);
    return this;
  }

  node(name: string): NodeStatus {
    const node = this.state.nodeByName(name);
    if (!node) throw new Error(`no node named "${name}"`);
    return node;
  }

  /** Reloads the state from its stored JSON form, dropping every in-memory index. */
  reload(): this {
    this.state = new WorkflowState(JSON.parse(JSON.stringify(this.state.workflow)) as Workflow);
    return this;
  }
}
