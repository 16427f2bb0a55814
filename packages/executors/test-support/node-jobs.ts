// Test help for the Kubernetes pod builder: runs Argo YAML through the engine and hands out the jobs it
// dispatches, so pods are built from what users write rather than from hand-made jobs.
import { applyEvent, WorkflowState, type EngineEvent, type NodeJob } from '@regatta/engine';
import { loadWorkflow, type NodeStatus, type Outputs } from '@regatta/spec';

export class NodeJobs {
  readonly state: WorkflowState;
  private readonly jobs = new Map<string, NodeJob>();
  private clock = Date.parse('2026-01-01T00:00:00Z');

  constructor(yaml: string, name = 'wf') {
    const workflow = loadWorkflow(yaml, 'test.yaml');
    workflow.metadata = { ...workflow.metadata, name, namespace: 'argo', uid: 'uid-1' };
    this.state = new WorkflowState(workflow);
    this.apply({ type: 'workflowSubmitted' });
  }

  /** The running job of the node with this display name. */
  job(displayName: string): NodeJob {
    const job = [...this.jobs.values()].find((candidate) => this.state.node(candidate.nodeId)?.displayName === displayName);
    if (!job) throw new Error(`no running node "${displayName}"`);
    return job;
  }

  /** Ends a running node as a worker reports it, on the host a Kubernetes worker would name, with the outputs it reports. */
  finish(displayName: string, phase: 'Succeeded' | 'Failed', hostNodeName?: string, outputs: Outputs = {}): this {
    const job = this.job(displayName);
    this.jobs.delete(job.nodeId);
    const node = this.state.node(job.nodeId) as NodeStatus;
    if (hostNodeName) node.hostNodeName = hostNodeName;
    return this.apply({ type: 'nodeFinished', nodeId: job.nodeId, attempt: job.attempt, phase, outputs });
  }

  private apply(event: EngineEvent): this {
    this.clock += 1000;
    const result = applyEvent(this.state, event, new Date(this.clock).toISOString().replace(/\.\d+Z$/, 'Z'));
    for (const command of result.commands) if (command.type === 'dispatchNode') this.jobs.set(command.job.nodeId, command.job);
    return this;
  }
}
