// Reads node output as it arrives, each line with its node's display name, pod name and container (as
// `argo logs` prints `<pod>: <line>`), until the workflow has ended and every line written before that
// has been read. Lines can be narrowed to a node, a pod, a container, a pattern and a start time.
import { RE2JS, RE2JSException } from 're2js';
import { nodePodName, type NodeStatus } from '@regatta/spec';
import { streamIdBefore, type LogStore, type WorkflowStore } from '@regatta/store';
import { ClientError, type LogEntry, type LogOptions } from './client.js';

export type LogFilter = Pick<LogOptions, 'nodeId' | 'podName' | 'container' | 'grep' | 'sinceTime'>;

interface NodeLabel {
  displayName: string;
  podName: string;
  container: string;
}

/** RE2 (re2js): a user's pattern takes time linear in the line, whatever the pattern. */
function compileGrep(pattern: string | undefined): RE2JS | undefined {
  if (pattern === undefined) return undefined;
  try {
    return RE2JS.compile(pattern);
  } catch (error) {
    if (error instanceof RE2JSException) throw new ClientError('InvalidArgument', `grep: ${error.message}`);
    throw error;
  }
}

function startAfter(sinceTime: string | undefined): string {
  if (sinceTime === undefined) return '0';
  const time = Date.parse(sinceTime);
  if (Number.isNaN(time)) throw new ClientError('InvalidArgument', `sinceTime: not a time: "${sinceTime}"`);
  return streamIdBefore(time);
}

export class LogFollower {
  private last: string;
  private readonly labels = new Map<string, NodeLabel>();
  private readonly grep: RE2JS | undefined;

  /** Throws ClientError InvalidArgument for a bad pattern or time, before anything is read. */
  constructor(
    private readonly logs: LogStore,
    private readonly store: WorkflowStore,
    private readonly uid: string,
    private readonly filter: LogFilter,
    private readonly onEntry: (entry: LogEntry) => void,
  ) {
    this.grep = compileGrep(filter.grep);
    this.last = startAfter(filter.sinceTime);
  }

  /** Reads what is there now; with `blockMs`, first waits up to that long for something new. */
  async drain(blockMs?: number): Promise<number> {
    let read = 0;
    for (let first = true; ; first = false) {
      const { lines, last } = await this.logs.read(this.uid, this.last, first ? blockMs : undefined);
      this.last = last;
      for (const { nodeId, line, time } of lines) {
        if (!(await this.wanted(nodeId, line))) continue;
        this.onEntry({ nodeId, ...(await this.labelOf(nodeId)), time, content: line });
        read++;
      }
      if (lines.length === 0) return read;
    }
  }

  private async wanted(nodeId: string, line: string): Promise<boolean> {
    const { filter } = this;
    if (filter.nodeId !== undefined && nodeId !== filter.nodeId) return false;
    if (this.grep !== undefined && !this.grep.test(line)) return false;
    if (filter.podName === undefined && filter.container === undefined) return true;
    const label = await this.labelOf(nodeId);
    return (filter.podName === undefined || label.podName === filter.podName) && (filter.container === undefined || label.container === filter.container);
  }

  /** Nodes are loaded once per unknown node; a node that is still unknown is shown by its id. */
  private async labelOf(nodeId: string): Promise<NodeLabel> {
    if (!this.labels.has(nodeId)) {
      const stored = await this.store.load(this.uid);
      if (stored) {
        const { nodes } = stored.workflow.status;
        for (const node of Object.values(nodes)) this.labels.set(node.id, labelOf(stored.workflow.metadata.name ?? '', node, nodes));
      }
      if (!this.labels.has(nodeId)) this.labels.set(nodeId, { displayName: nodeId, podName: nodeId, container: 'main' });
    }
    return this.labels.get(nodeId)!;
  }
}

function labelOf(workflowName: string, node: NodeStatus, nodes: Record<string, NodeStatus>): NodeLabel {
  return {
    displayName: node.displayName,
    podName: nodePodName(workflowName, node, nodes) || node.id,
    // A container set's containers are nodes of their own; a pod's own container is Argo's `main`.
    container: node.type === 'Container' ? node.displayName : 'main',
  };
}
