// One workflow as a follower knows it, kept current from the update notices its stored transitions
// publish: a notice names the nodes it wrote, so a refresh reads the record and those nodes only,
// never the whole node hash, unless a notice was missed or nodes were removed.
import { parseUpdateNotice, type StoredWorkflow, type WorkflowStore } from '@regatta/store';

export interface WorkflowUpdate {
  /** The whole workflow as now known. */
  stored: StoredWorkflow;
  /** Only these nodes changed since the previous update; undefined when the whole workflow was read (the first update, or after a gap). */
  changedNodes?: string[];
  /** With changedNodes: whether the spec changed too (a control such as stop or suspend writes it). */
  specChanged?: boolean;
}

export class WorkflowView {
  private stored: StoredWorkflow | undefined;
  /** The version of the last notice taken in (or of the last whole read, if later). */
  private noticed = -1;
  private readonly changed = new Set<string>();
  private whole = true;
  /** A transition was noticed since the last refresh (its status may have changed with no node). */
  private noticedSince = false;

  constructor(
    private readonly store: WorkflowStore,
    readonly uid: string,
  ) {}

  /** Something changed since the last refresh. */
  get pending(): boolean {
    return this.whole || this.noticedSince;
  }

  /** Takes in a message of the workflow's update channel. */
  notice(message: string): void {
    const notice = parseUpdateNotice(message);
    if (notice.version <= this.noticed) return;
    // A gap (a notice lost, say on a reconnect) or removed nodes: read it whole. Before the first
    // whole read there is nothing to have missed.
    if ((this.noticed >= 0 && notice.version !== this.noticed + 1) || notice.deleted.length > 0) this.whole = true;
    this.noticed = notice.version;
    this.noticedSince = true;
    // Kept even while a whole read is due or under way: that read may predate this notice.
    for (const id of notice.changed) this.changed.add(id);
  }

  /** Forgets what notices said: the next refresh reads it whole (after notices may have been lost, or it was deleted). */
  invalidate(): void {
    this.whole = true;
    this.noticed = -1;
  }

  /** Reads what changed since the last refresh; undefined when the workflow is gone. */
  async refresh(): Promise<WorkflowUpdate | undefined> {
    if (this.whole || !this.stored) {
      this.whole = false;
      // What notices named so far, the whole read covers; what they name while it runs is read next.
      this.changed.clear();
      this.noticedSince = false;
      this.stored = await this.store.load(this.uid);
      if (!this.stored) return undefined;
      this.noticed = Math.max(this.noticed, this.stored.version);
      return { stored: this.stored };
    }
    const changedNodes = [...this.changed];
    this.changed.clear();
    this.noticedSince = false;
    const part = await this.store.loadWithNodes(this.uid, changedNodes);
    if (!part) return undefined;
    const nodes = Object.assign(this.stored.workflow.status.nodes, part.workflow.status.nodes);
    const specChanged = JSON.stringify(part.workflow.spec) !== JSON.stringify(this.stored.workflow.spec);
    this.stored = { ...part, workflow: { ...part.workflow, status: { ...part.workflow.status, nodes } } };
    return { stored: this.stored, changedNodes, specChanged };
  }
}
