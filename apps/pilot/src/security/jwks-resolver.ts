import type { JwksSource, Timer } from '@mizzen/pilot-core';
import { jwksUriOf, parseKeySet, sameKeySet } from './jwks-document';
import type { FetchDocument } from './jwks-fetch';

/** Istio's `JwtPubKeyEvictionDuration`: a key set unused, or not refreshed, this long is dropped. */
export const JWKS_EVICTION_MS = 7 * 24 * 3600_000;
/** Istio's `JwtPubKeyRefreshIntervalOnFailure`: the first retry after a failed refresh. */
export const JWKS_RETRY_AFTER_FAILURE_MS = 60_000;

export interface JwksResolverOptions {
  /** PILOT_JWT_PUB_KEY_REFRESH_INTERVAL (Istio default 20m). */
  refreshIntervalMs: number;
  fetch: FetchDocument;
  timer: Timer;
  log: (msg: string) => void;
  /** Default {@link JWKS_EVICTION_MS}. */
  evictionMs?: number;
}

interface Entry {
  source: JwksSource;
  /** The last good key set, as fetched. */
  keys?: string;
  lastRefreshedAt?: number;
  /** Now while a snapshot needs it; when it stopped needing it otherwise. */
  lastUsedAt: number;
  tracked: boolean;
  failing: boolean;
  inFlight?: Promise<boolean>;
  /** The fetch round started when the source was tracked without a key set; it ends after listeners ran. */
  firstFetch?: Promise<void>;
}

/**
 * Pilot's JWKS resolver (Istio's `pilot/pkg/model/jwks_resolver.go`, default
 * PILOT_JWT_ENABLE_REMOTE_JWKS=false): fetches the key sets RequestAuthentications need, caches
 * them per source, refreshes them every `refreshIntervalMs` and reports the sources whose keys
 * changed, so Pilot inlines them into jwt_authn (`local_jwks`) and pushes the affected proxies.
 *
 * Contract, as Istio:
 * - a source is fetched as soon as it is tracked (a snapshot needs it), then on every refresh
 *   round; an OpenID discovery source fetches `<issuer>/.well-known/openid-configuration`, then
 *   its `jwks_uri`, every time;
 * - a failed fetch (network, timeout, non-2xx, not a JWKS) keeps the last good key set; a source
 *   never fetched has none, and the generator inlines a JWKS that verifies no token (401);
 * - after a failed round the next one comes after 1 min, doubling while it fails (Istio: up to
 *   60 min; here capped at the refresh interval, so a short interval also retries quickly);
 *   Istio's 7 in-round retries at 1 s are not made;
 * - key sets that differ only in key order or formatting are not a change (`compareJWKSResponse`);
 * - a source no snapshot needs is kept (a policy re-applied gets its keys at once) but not
 *   refreshed, and forgotten after 7 days; a tracked key set not refreshed successfully for 7
 *   days is dropped.
 */
export class JwksResolver {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners: Array<(changed: ReadonlySet<string>) => void> = [];
  private handle: unknown;
  private running = false;
  private failedRounds = 0;

  constructor(private readonly o: JwksResolverOptions) {}

  /** Called with the source keys whose key set changed (first resolved, rotated or dropped). */
  onChange(l: (changed: ReadonlySet<string>) => void): void {
    this.listeners.push(l);
  }

  /** The sources the current snapshot needs; new (or stale) ones are fetched now. */
  track(sources: readonly JwksSource[]): void {
    const now = this.o.timer.now();
    const wanted = new Map(sources.map((s) => [s.key, s]));
    for (const e of this.entries.values()) {
      if (e.tracked && !wanted.has(e.source.key)) Object.assign(e, { tracked: false, lastUsedAt: now });
    }
    const fetchNow: Entry[] = [];
    for (const source of wanted.values()) {
      let e = this.entries.get(source.key);
      if (!e) this.entries.set(source.key, (e = { source, lastUsedAt: now, tracked: false, failing: false }));
      const wasTracked = e.tracked;
      Object.assign(e, { source, tracked: true, lastUsedAt: now });
      // New, or needed again after a while: fetch now. A tracked source that fails waits for
      // the refresh rounds (snapshots can come many times a second).
      const stale = e.keys === undefined || e.lastRefreshedAt === undefined || now - e.lastRefreshedAt >= this.o.refreshIntervalMs;
      if (!wasTracked && stale) fetchNow.push(e);
    }
    if (fetchNow.length === 0) return;
    const round = this.fetchAll(fetchNow, new Set());
    for (const e of fetchNow) {
      if (e.keys !== undefined) continue;
      const done = () => {
        if (e.firstFetch === first) e.firstFetch = undefined;
      };
      const first: Promise<void> = round.then(done, done);
      e.firstFetch = first;
    }
  }

  /**
   * Tracks `sources` (see track) and returns the fetches still running for those that have no
   * key set, resolved once their changes reached the listeners; undefined when none is running.
   * Istio fetches a key set it does not hold inside the push (jwks_resolver.go GetPublicKey), so
   * Pilot holds a snapshot on this until then: a new policy does not go out with reject-all keys.
   * Each fetch is bounded by its rule's timeout (Istio: 5 s).
   */
  firstFetches(sources: readonly JwksSource[]): Promise<void> | undefined {
    this.track(sources);
    const pending = sources.flatMap((s) => this.entries.get(s.key)?.firstFetch ?? []);
    return pending.length ? Promise.all(pending).then(() => undefined) : undefined;
  }

  /** Every key set known, by source key (the snapshot input). */
  keySets(): ReadonlyMap<string, string> {
    const out = new Map<string, string>();
    for (const [k, e] of this.entries) if (e.keys !== undefined) out.set(k, e.keys);
    return out;
  }

  /** Resolves when no fetch is in flight; true when some key set is known. */
  async settled(): Promise<boolean> {
    for (;;) {
      const pending = [...this.entries.values()].flatMap((e) => (e.inFlight ? [e.inFlight] : []));
      if (pending.length === 0) return this.keySets().size > 0;
      await Promise.all(pending);
    }
  }

  /** Starts the periodic refresh (Istio's `refresher`). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(this.o.refreshIntervalMs);
  }

  stop(): void {
    this.running = false;
    if (this.handle !== undefined) this.o.timer.clearTimeout(this.handle);
    this.handle = undefined;
  }

  /** One refresh round: evicts, refetches every tracked source, reports changes. True if a fetch failed. */
  async refresh(): Promise<boolean> {
    const now = this.o.timer.now();
    const eviction = this.o.evictionMs ?? JWKS_EVICTION_MS;
    const changed = new Set<string>();
    for (const [k, e] of this.entries) {
      if (!e.tracked && now - e.lastUsedAt >= eviction) {
        this.entries.delete(k);
        if (e.keys !== undefined) changed.add(k);
      } else if (e.tracked && e.keys !== undefined && e.lastRefreshedAt !== undefined && now - e.lastRefreshedAt >= eviction) {
        this.o.log(`jwks: ${k} not refreshed for ${Math.round(eviction / 3600_000)}h, dropping its key set`);
        e.keys = undefined;
        changed.add(k);
      }
    }
    const tracked = [...this.entries.values()].filter((e) => e.tracked);
    await this.fetchAll(tracked, changed);
    return tracked.some((e) => e.failing);
  }

  private schedule(ms: number): void {
    this.handle = this.o.timer.setTimeout(() => void this.round(), ms);
  }

  private async round(): Promise<void> {
    const failed = await this.refresh();
    if (!this.running) return;
    this.failedRounds = failed ? this.failedRounds + 1 : 0;
    const interval = this.o.refreshIntervalMs;
    this.schedule(this.failedRounds === 0 ? interval : Math.min(interval, JWKS_RETRY_AFTER_FAILURE_MS * 2 ** (this.failedRounds - 1)));
  }

  private async fetchAll(entries: readonly Entry[], changed: Set<string>): Promise<void> {
    const results = await Promise.all(entries.map((e) => this.fetchOne(e)));
    results.forEach((c, i) => c && changed.add(entries[i].source.key));
    if (changed.size === 0) return;
    for (const l of this.listeners) l(changed);
  }

  /** Fetches one source (one fetch in flight per source); true when its key set changed. */
  private fetchOne(e: Entry): Promise<boolean> {
    e.inFlight ??= this.fetchKeys(e).finally(() => (e.inFlight = undefined));
    return e.inFlight;
  }

  private async fetchKeys(e: Entry): Promise<boolean> {
    const { key } = e.source;
    try {
      const text = await this.resolve(e.source);
      const parsed = parseKeySet(text);
      if (!parsed.ok) throw new Error(parsed.error);
      e.lastRefreshedAt = this.o.timer.now();
      e.failing = false;
      if (e.keys !== undefined && sameKeySet(e.keys, text)) return false;
      this.o.log(`jwks: ${e.keys === undefined ? 'resolved' : 'updated'} ${key} (${parsed.value.length} keys)`);
      e.keys = text;
      return true;
    } catch (err) {
      e.failing = true;
      this.o.log(`jwks: fetching ${key} failed: ${(err as Error).message}; ${e.keys !== undefined ? 'keeping the last good key set' : 'no key set yet, its tokens are rejected'}`);
      return false;
    }
  }

  /** The JWKS text of a source: directly, or through the issuer's OpenID configuration. */
  private async resolve(s: JwksSource): Promise<string> {
    if (s.kind === 'jwksUri') return this.o.fetch(s.url, s.timeoutMs);
    const uri = jwksUriOf(await this.o.fetch(s.url, s.timeoutMs));
    if (!uri.ok) throw new Error(uri.error);
    return this.o.fetch(uri.value, s.timeoutMs);
  }
}
