// Reads node output as it arrives, each line with its node's display name (as `argo logs` prints
// `<node>: <line>`), until the workflow has ended and every line written before that has been read.
import { podName } from '@regatta/engine';
import type { LogStore, WorkflowStore } from '@regatta/store';
import type { LogEntry } from './client.js';

export interface LogFilter {
  nodeId?: string;
}

export class LogFollower {
  private last = '0';
  private readonly names = new Map<string, { displayName: string; podName: string }>();

  constructor(
    private readonly logs: LogStore,
    private readonly store: WorkflowStore,
    private readonly uid: string,
    private readonly filter: LogFilter,
    private readonly onEntry: (entry: LogEntry) => void,
  ) {}

  /** Reads what is there now; with `blockMs`, first waits up to that long for something new. */
  async drain(blockMs?: number): Promise<number> {
    let read = 0;
    for (let first = true; ; first = false) {
      const { lines, last } = await this.logs.read(this.uid, this.last, first ? blockMs : undefined);
      this.last = last;
      for (const { nodeId, line, time } of lines) {
        if (this.filter.nodeId !== undefined && nodeId !== this.filter.nodeId) continue;
        this.onEntry({ nodeId, ...(await this.nameOf(nodeId)), content: line, time });
        read++;
      }
      if (lines.length === 0) return read;
    }
  }

  /** Display names are loaded once per unknown node; a node that is still unknown is shown by its id. */
  private async nameOf(nodeId: string): Promise<{ displayName: string; podName: string }> {
    if (!this.names.has(nodeId)) {
      const stored = await this.store.load(this.uid);
      const workflowName = stored?.workflow.metadata.name ?? '';
      for (const node of Object.values(stored?.workflow.status.nodes ?? {})) {
        this.names.set(node.id, { displayName: node.displayName, podName: podName(workflowName, node.name, node.templateName ?? '') });
      }
      if (!this.names.has(nodeId)) this.names.set(nodeId, { displayName: nodeId, podName: nodeId });
    }
    return this.names.get(nodeId)!;
  }
}
