import type { JwtProviderConfig } from '../../config/model';
import { type Jwk, parseJwks } from './jwks';
import { JwtStatus } from './status';

/** Fetches a remote JWKS: `uri` through `cluster` (or the URL itself when the cluster is unknown). */
export type JwksFetcher = (uri: string, cluster: string, timeoutMs: number) => Promise<{ status: number; body: string }>;

/** jwt_authn counters (`jwks_fetch_success` / `jwks_fetch_failed`). */
export interface JwksStats {
  inc(stat: string): void;
}

interface Entry {
  keys?: Jwk[];
  /** For remote JWKS: when the cached keys go stale. */
  expiresAt: number;
  inflight?: Promise<Jwk[] | undefined>;
}

/**
 * Keys per provider (Envoy's JwksCache): an inline JWKS is parsed once; a remote one is fetched
 * when first needed and kept for `cache_duration`, then fetched again by the next request that
 * needs it. Concurrent requests share one fetch; a failed fetch is not cached.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/http/jwt_authn/v3/config.proto#envoy-v3-api-msg-extensions-filters-http-jwt-authn-v3-remotejwks
 */
export class JwksCache {
  /** Keyed by the provider config: an LDS update brings new objects, so keys are fetched anew. */
  private readonly entries = new WeakMap<JwtProviderConfig, Entry>();

  constructor(
    private readonly fetcher: JwksFetcher,
    private readonly stats: (provider: JwtProviderConfig) => JwksStats,
    private readonly now: () => number = Date.now,
  ) {}

  async keys(p: JwtProviderConfig): Promise<Jwk[] | JwtStatus> {
    let e = this.entries.get(p);
    if (!e) this.entries.set(p, (e = { expiresAt: 0 }));
    const src = p.jwks;
    if (src.kind === 'local') {
      if (!e.keys) {
        const parsed = parseJwks(src.jwks);
        e.keys = parsed.status === JwtStatus.Ok ? parsed.keys : [];
      }
      return e.keys.length ? e.keys : JwtStatus.JwksNoValidKeys;
    }
    if (e.keys && this.now() < e.expiresAt) return e.keys;
    const entry = e;
    entry.inflight ??= this.fetch(p, src.uri, src.cluster, src.timeoutMs).finally(() => (entry.inflight = undefined));
    const keys = await entry.inflight;
    if (!keys) return JwtStatus.JwksFetchFail;
    return keys;
  }

  private async fetch(p: JwtProviderConfig, uri: string, cluster: string, timeoutMs: number): Promise<Jwk[] | undefined> {
    const stats = this.stats(p);
    try {
      const res = await this.fetcher(uri, cluster, timeoutMs);
      const parsed = res.status === 200 ? parseJwks(res.body) : undefined;
      if (!parsed || parsed.status !== JwtStatus.Ok) {
        stats.inc('jwks_fetch_failed');
        return undefined;
      }
      stats.inc('jwks_fetch_success');
      const e = this.entries.get(p);
      if (e && p.jwks.kind === 'remote') {
        e.keys = parsed.keys;
        e.expiresAt = this.now() + p.jwks.cacheDurationMs;
      }
      return parsed.keys;
    } catch {
      stats.inc('jwks_fetch_failed');
      return undefined;
    }
  }
}
