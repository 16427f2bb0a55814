// Why a running node was stopped, and the AbortSignal its executor watches. The signal is made only
// when an executor asks for it: making one cost more than running a noop node (`npm run bench -- drain`).

export class NodeCancellation {
  private controller?: AbortController;
  private stopped?: string;

  /** The first reason given (executors may show it as the node's message); later ones change nothing. */
  abort(reason: string): void {
    if (this.stopped !== undefined) return;
    this.stopped = reason;
    this.controller?.abort(reason);
  }

  get reason(): string | undefined {
    return this.stopped;
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.stopped !== undefined) this.controller.abort(this.stopped);
    }
    return this.controller.signal;
  }
}
