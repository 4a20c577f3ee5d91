// Per-process state the tests steer and inspect, like `kubectl exec` into an httpbin pod would:
// an injected fault (every non-admin request answers a fixed status), the first-N failures of
// `/flaky/<n>/<key>`, and a bounded log of the requests this process received.

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  /** The Host header as received (a mirrored request carries `<host>-shadow[:port]`). */
  readonly host: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** How many requests the log keeps (oldest dropped first). */
export const REQUEST_LOG_LIMIT = 500;

export class Control {
  private fault: number | undefined;
  private readonly flakyCounts = new Map<string, number>();
  private readonly log: LoggedRequest[] = [];

  /** The status every non-admin request answers with, if a fault is set. */
  get faultStatus(): number | undefined {
    return this.fault;
  }

  setFault(status: number | undefined): void {
    this.fault = status;
  }

  /** Counts one call of `/flaky/<n>/<key>` and returns its 1-based attempt number. */
  flakyAttempt(key: string): number {
    const n = (this.flakyCounts.get(key) ?? 0) + 1;
    this.flakyCounts.set(key, n);
    return n;
  }

  record(r: LoggedRequest): void {
    this.log.push(r);
    if (this.log.length > REQUEST_LOG_LIMIT) this.log.splice(0, this.log.length - REQUEST_LOG_LIMIT);
  }

  requests(): readonly LoggedRequest[] {
    return [...this.log];
  }

  /** Forgets the log, the flaky counters and the fault. */
  reset(): void {
    this.fault = undefined;
    this.flakyCounts.clear();
    this.log.length = 0;
  }
}
