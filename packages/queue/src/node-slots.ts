// A worker's node concurrency: at most `size` nodes run at once, however many BullMQ jobs (each
// carrying one node or a batch of them) the worker holds.
export class NodeSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot straight to the longest waiter, so a later acquire cannot jump the line. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}
