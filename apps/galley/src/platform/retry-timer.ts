/**
 * Calls `fire` after a delay that doubles on each consecutive `schedule()` (capped) and starts
 * over after `reset()`. Used to retry work that failed while NATS or JetStream was unavailable:
 * a reconnect alone is not enough, since JetStream may answer only a while after it.
 */
export class RetryTimer {
  private timer: NodeJS.Timeout | undefined;
  private delay: number;

  constructor(
    private readonly fire: () => void,
    private readonly minMs = 250,
    private readonly maxMs = 10_000,
  ) {
    this.delay = minMs;
  }

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.fire();
    }, this.delay);
    this.timer.unref();
    this.delay = Math.min(this.delay * 2, this.maxMs);
  }

  reset(): void {
    this.delay = this.minMs;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
