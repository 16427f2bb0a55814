// Client-side rate limiting of Kubernetes API calls, as client-go's token bucket: `qps` tokens a second,
// at most `burst` saved up (Argo's controller: --qps 20 --burst 30). Callers wait their turn in order.
export class RateLimiter {
  private tokens: number;
  private refilledAt = Date.now();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly qps: number,
    private readonly burst: number,
  ) {
    if (!(qps > 0) || !(burst >= 1)) throw new Error(`rate limit: qps must be above 0 and burst at least 1 (got qps ${qps}, burst ${burst})`);
    this.tokens = burst;
  }

  /** Resolves once the caller may make one request. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.next());
    this.queue = turn;
    return turn;
  }

  private async next(): Promise<void> {
    this.refill();
    if (this.tokens < 1) {
      await new Promise((resolve) => setTimeout(resolve, ((1 - this.tokens) / this.qps) * 1000));
      this.refill();
    }
    this.tokens -= 1;
  }

  private refill(): void {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.qps);
    this.refilledAt = now;
  }
}
