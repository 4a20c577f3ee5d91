/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * Exponential back-off with jitter for reconnecting to the control plane: attempt n waits a random
 * time in [d/2, d] with d = min(max, base * 2^n), so a fleet of proxies does not reconnect in step
 * (compare Envoy's JitteredExponentialBackOffStrategy). `reset()` after a healthy stream.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs = 250,
    private readonly maxMs = 10_000,
    private readonly random: Random = Math.random,
  ) {}

  next(): number {
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** this.attempt);
    if (ceiling < this.maxMs) this.attempt++;
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  reset(): void {
    this.attempt = 0;
  }
}
