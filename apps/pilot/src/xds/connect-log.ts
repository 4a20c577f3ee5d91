/**
 * Connection logging that cannot slow a connection storm down: stdout to a pipe is written
 * synchronously on Linux, so one line per stream while thousands of proxies (re)connect stalls
 * the event loop whenever the reader lags. The first connection of a quiet period is logged at
 * once; the ones that follow within `windowMs` are summarised in one line.
 */
export class ConnectLog {
  private pending: string[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly log: (msg: string) => void,
    private readonly windowMs = 1000,
  ) {}

  connected(what: string): void {
    if (!this.timer) {
      this.log(`connected ${what}`);
      this.timer = setTimeout(() => this.flush(), this.windowMs);
      this.timer.unref();
      return;
    }
    this.pending.push(what);
  }

  /** Logs what is pending; the next connection after a quiet flush is logged at once again. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const p = this.pending;
    this.pending = [];
    if (p.length === 1) this.log(`connected ${p[0]}`);
    else if (p.length > 1) {
      this.log(`connected ${p.length} more proxies: ${p.slice(0, 3).join(', ')}${p.length > 3 ? ` and ${p.length - 3} others` : ''}`);
      this.timer = setTimeout(() => this.flush(), this.windowMs); // still busy: keep summarising
      this.timer.unref();
    }
  }
}
