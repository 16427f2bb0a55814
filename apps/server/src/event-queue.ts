// Argo's event operation queue: an event is answered at once and handled later by a few workers, and
// a full queue answers 503 instead of growing without bound (Argo's --event-operation-queue-size 64,
// --event-worker-count 4). Closing waits for what was accepted, so a graceful stop loses no event.

export interface EventQueueOptions {
  /** Events waiting, beyond those being handled (default 64). */
  capacity?: number;
  /** Events handled at once (default 4). */
  workers?: number;
}

export class EventQueue<E> {
  private readonly waiting: E[] = [];
  private active = 0;
  private idle: (() => void)[] = [];
  private readonly capacity: number;
  private readonly workers: number;

  /** `handle` must not throw for an event's own faults; a throw is passed to `failed`. */
  constructor(
    private readonly handle: (event: E) => Promise<void>,
    private readonly failed: (error: unknown) => void,
    options: EventQueueOptions = {},
  ) {
    this.capacity = options.capacity ?? 64;
    this.workers = options.workers ?? 4;
  }

  /** Queues the event; false when the queue is full (the caller answers 503). */
  offer(event: E): boolean {
    if (this.waiting.length >= this.capacity) return false;
    this.waiting.push(event);
    this.pump();
    return true;
  }

  /** Resolves once every accepted event has been handled. */
  drained(): Promise<void> {
    if (this.active === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.active < this.workers && this.waiting.length > 0) {
      const event = this.waiting.shift()!;
      this.active++;
      this.handle(event)
        .catch(this.failed)
        .finally(() => {
          this.active--;
          this.pump();
          if (this.active === 0 && this.waiting.length === 0) for (const resolve of this.idle.splice(0)) resolve();
        });
    }
  }
}
