import type { HeaderMutation, RetryPolicy } from '../config/model';
import type { Rng } from '../routing';
import { statusClassStat } from '../stats';
import type { UpstreamCluster, UpstreamHost } from '../upstream';
import { Cancellation, abortEmitter, delay } from '../util/cancellation';
import { type Exchange, localReply, respondHeadersOnly, writeHead } from './exchange';
import { applyMutations, forwardableHeaders } from './headers';
import type { ReplayableBody } from './replayable-body';
import { type AttemptOutcome, backoffMs, wouldRetry } from './retry';
import type { ResponseFlag } from './stream-info';
import { type AttemptResult, type UpstreamResponse, sendAttempt } from './upstream-attempt';
import type { UpstreamRequestSpec } from './upstream-request';

export interface UpstreamCallOptions {
  cluster: UpstreamCluster;
  request: UpstreamRequestSpec;
  body?: ReplayableBody;
  timeoutMs: number;
  retry?: RetryPolicy;
  responseMutations: readonly HeaderMutation[];
  destination?: { host: string; port: number };
  /** The request hash for RING_HASH / MAGLEV clusters. */
  hash?: bigint;
  rng: Rng;
}

interface Attempt {
  host: UpstreamHost;
  result: AttemptResult;
  perTryTimedOut: boolean;
  /** Set when the retry policy would retry this attempt. */
  outcome?: AttemptOutcome;
  /** Releases the attempt's abort wiring (kept while a response body streams). */
  dispose: () => void;
}

/** Stat names by status, built once: a template string per response allocates and re-hashes the name. */
const STATUS_STATS = new Map<number, string>();

function statusStat(status: number): string {
  let name = STATUS_STATS.get(status);
  if (name === undefined) STATUS_STATS.set(status, (name = `upstream_rq_${status}`));
  return name;
}

const RESET_BEFORE_HEADERS = 'upstream connect error or disconnect/reset before headers. reset reason:';

/**
 * The router's upstream side of one request: host selection, attempts with per-try timeouts and
 * retries, the route timeout (armed once the downstream request is complete, as Envoy does), and
 * streaming the chosen response downstream.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter
 */
export class UpstreamCall {
  /** The route timeout (reason `timeout`). */
  private readonly global = new Cancellation();
  private readonly tried = new Set<string>();
  private readonly attemptedPriorities = new Set<number>();
  private attemptsMade = 0;
  private excludedPriorities?: ReadonlySet<number>;
  private readonly startMs = Date.now();

  constructor(
    private readonly x: Exchange,
    private readonly o: UpstreamCallOptions,
  ) {}

  async run(): Promise<void> {
    const cancel = this.afterRequestBody(this.o.timeoutMs, () => this.global.cancel('timeout'));
    const { cluster } = this.o;
    if (!cluster.breakers.tryRequest()) {
      cancel();
      return this.overflow();
    }
    cluster.stats.gauge('upstream_rq_active').inc();
    try {
      await this.loop();
    } finally {
      cancel();
      cluster.breakers.releaseRequest();
      cluster.stats.gauge('upstream_rq_active').dec();
    }
  }

  /** Runs `fn` `ms` after the downstream request body ended (never if ms is 0); returns a canceller. */
  private afterRequestBody(ms: number, fn: () => void): () => void {
    if (ms <= 0) return () => undefined;
    let timer: NodeJS.Timeout | undefined;
    let cancelled = false;
    const ended = this.o.body?.ended;
    if (!ended) {
      timer = setTimeout(fn, ms);
      return () => clearTimeout(timer);
    }
    void ended.then(() => {
      if (!cancelled) timer = setTimeout(fn, ms);
    });
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }

  private async loop(): Promise<void> {
    const policy = this.o.retry;
    for (let n = 0; ; n++) {
      const host = this.pickHost();
      if (!host) return this.fail('UH', 503, 'no healthy upstream');
      // Circuit breakers: a connection slot, or pending, or overflow (never retried).
      const slot = await this.o.cluster.admit(host, [this.global, this.x.downstreamGone]);
      if (slot === 'overflow') return this.overflow();
      if (slot === 'cancelled') return this.finish({ host, result: { kind: 'aborted', detail: 'pending' }, perTryTimedOut: false, dispose: () => undefined }, n);
      const a = await this.attempt(host);
      const replayable = this.o.body?.replayable ?? true;
      if (!a.outcome || !policy || n >= policy.numRetries || !replayable) {
        if (a.outcome && policy && policy.numRetries > 0 && n >= policy.numRetries) {
          this.x.info.flags.add('URX');
          this.o.cluster.stats.counter('upstream_rq_retry_limit_exceeded').inc();
        }
        return this.finish(a, n);
      }
      if (!this.o.cluster.breakers.tryRetry()) {
        // max_retries reached: the response stands, flagged UO (upstream_rq_retry_overflow).
        this.x.info.flags.add('UO');
        return this.finish(a, n);
      }
      if (a.result.kind === 'response') await a.result.data.dump().catch(() => undefined);
      a.dispose();
      this.release(host);
      this.o.cluster.stats.counter('upstream_rq_retry').inc();
      const waited = await delay(backoffMs(policy, n + 1, this.o.rng), [this.global, this.x.downstreamGone]);
      this.o.cluster.breakers.releaseRetry();
      if (!waited) {
        return this.finish({ host, result: { kind: 'aborted', detail: 'backoff' }, perTryTimedOut: false, dispose: () => undefined }, n);
      }
    }
  }

  private pickHost(): UpstreamHost | undefined {
    const p = this.o.retry;
    const exclude = p?.avoidPreviousHosts ? this.tried : undefined;
    return this.o.cluster.pick({ destination: this.o.destination, exclude, maxAttempts: p?.hostSelectionMaxAttempts, hash: this.o.hash, excludePriorities: this.excludedPriorities });
  }

  private async attempt(host: UpstreamHost): Promise<Attempt> {
    this.tried.add(host.key);
    this.notePriority(host);
    host.active++;
    host.total++;
    this.o.cluster.stats.counter('upstream_rq_total').inc();
    this.x.info.upstreamHost = host.key;
    const perTry = new Cancellation();
    const cancel = this.afterRequestBody(this.o.retry?.perTryTimeoutMs ?? 0, () => perTry.cancel('per-try-timeout'));
    const sources = [this.global, this.x.downstreamGone, perTry];
    const { signal, dispose } = abortEmitter(sources);
    const { method, path, headers } = this.o.request;
    const aborted = (): boolean => sources.some((c) => c.cancelled);
    const result = await sendAttempt({ host, protocol: this.protocol(), method, path, headers, body: this.o.body?.attempt(), signal, aborted, downstream: this.x.conn });
    cancel();
    if (result.kind === 'response') this.countResponse(result.data.statusCode);
    else {
      host.errors++;
      dispose();
      this.release(host);
    }
    const perTryTimedOut = result.kind === 'aborted' && perTry.cancelled;
    this.reportOutlier(host, result, perTryTimedOut);
    return { host, result, perTryTimedOut, outcome: this.outcomeOf(result, perTryTimedOut), dispose };
  }

  /**
   * previous_priorities: the priorities of the attempts so far; every `update_frequency` attempts
   * they become the set the next picks avoid (Envoy's PreviousPrioritiesRetryPriority).
   */
  private notePriority(host: UpstreamHost): void {
    const every = this.o.retry?.previousPrioritiesUpdateFrequency ?? 0;
    if (!every) return;
    this.attemptedPriorities.add(host.endpoint.priority);
    if (++this.attemptsMade % every === 0) this.excludedPriorities = new Set(this.attemptedPriorities);
  }

  /** The codec towards the cluster: as configured, or (use_downstream_protocol_config) the downstream's. */
  private protocol(): 'http1' | 'http2' {
    const p = this.o.cluster.config.protocol;
    if (p !== 'downstream') return p;
    return this.x.conn.protocol === 'HTTP/2' ? 'http2' : 'http1';
  }

  private release(host: UpstreamHost): void {
    host.active--;
    this.o.cluster.release(host);
  }

  /** Outlier detection input: the status, a local-origin failure, or a timeout (not a downstream abort). */
  private reportOutlier(host: UpstreamHost, r: AttemptResult, perTryTimedOut: boolean): void {
    if (r.kind === 'response') this.o.cluster.report(host, { kind: 'status', status: r.data.statusCode });
    else if (r.kind !== 'aborted') this.o.cluster.report(host, { kind: 'local-failure' });
    else if (perTryTimedOut || this.global.cancelled) this.o.cluster.report(host, { kind: 'timeout' });
  }

  /**
   * A circuit breaker overflowed: Envoy's local reply for an `overflow` reset (503, flag UO,
   * `x-envoy-overloaded: true`).
   * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/router_filter#x-envoy-overloaded
   */
  private overflow(): void {
    this.x.info.flags.add('UO');
    localReply(this.x, 503, `${RESET_BEFORE_HEADERS} overflow`, { 'x-envoy-overloaded': 'true' });
  }

  /** The outcome as retries see it; undefined when the policy would not retry it. */
  private outcomeOf(r: AttemptResult, perTryTimedOut: boolean): AttemptOutcome | undefined {
    let outcome: AttemptOutcome;
    if (perTryTimedOut) outcome = { kind: 'per-try-timeout' };
    else if (r.kind !== 'response') {
      if (r.kind === 'aborted') return undefined;
      outcome = { kind: r.kind };
    } else {
      const grpc = r.data.headers['grpc-status'];
      outcome = { kind: 'response', status: r.data.statusCode, grpcStatus: typeof grpc === 'string' ? Number(grpc) : undefined };
    }
    return this.o.retry && wouldRetry(this.o.retry, outcome) ? outcome : undefined;
  }

  private countResponse(status: number): void {
    const s = this.o.cluster.stats;
    s.counter(statusStat(status)).inc();
    s.counter(statusClassStat('upstream_rq', status)).inc();
    s.counter('upstream_rq_completed').inc();
  }

  private async finish(a: Attempt, retries: number): Promise<void> {
    const { result } = a;
    if (result.kind === 'response') {
      if (retries > 0) this.o.cluster.stats.counter('upstream_rq_retry_success').inc();
      return this.stream(result.data).finally(() => {
        a.dispose();
        this.release(a.host);
      });
    }
    if (this.x.downstreamGone.cancelled) return this.fail('DC', 0, '');
    if (this.global.cancelled || a.perTryTimedOut) {
      this.o.cluster.stats.counter(this.global.cancelled ? 'upstream_rq_timeout' : 'upstream_rq_per_try_timeout').inc();
      return this.fail('UT', 504, 'upstream request timeout');
    }
    if (result.kind === 'connect-failure') return this.fail('UF', 503, `${RESET_BEFORE_HEADERS} connection failure, transport failure reason: ${result.detail}`);
    return this.fail('UC', 503, `${RESET_BEFORE_HEADERS} connection termination`);
  }

  private fail(flag: ResponseFlag, status: number, body: string): void {
    this.x.info.flags.add(flag);
    if (flag === 'UH') this.o.cluster.stats.counter('upstream_cx_none_healthy').inc();
    if (flag === 'DC') this.x.res.destroy();
    else localReply(this.x, status, body);
  }

  /** Sends the upstream response downstream, streaming its body. */
  private async stream(data: UpstreamResponse): Promise<void> {
    const info = this.x.info;
    const headers = forwardableHeaders(data.headers);
    info.upstreamServiceTimeMs = Date.now() - this.startMs;
    headers['x-envoy-upstream-service-time'] = String(info.upstreamServiceTimeMs);
    applyMutations(headers, this.o.responseMutations, this.x.format);
    // A gRPC trailers-only reply stays one HEADERS frame with END_STREAM.
    if (data.headersOnly) return respondHeadersOnly(this.x, data.statusCode, headers);
    writeHead(this.x, data.statusCode, headers);
    // Trailers (gRPC status) follow the body; HTTP/1.1 sends them only on a chunked response.
    const trailers = (): void => {
      const t = forwardableHeaders(data.trailers);
      if (Object.keys(t).length) this.x.res.addTrailers(t);
    };
    try {
      await data.body.relay(this.x.res, (c) => (info.bytesSent += c.length), trailers);
    } catch {
      if (this.global.cancelled) info.flags.add('UT');
      else if (this.x.downstreamGone.cancelled) info.flags.add('DC');
      else info.flags.add('UC');
      this.x.res.destroy();
    }
  }
}
