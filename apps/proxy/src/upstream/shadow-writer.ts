import type { Dispatcher } from 'undici';
import { requestOn } from './undici-parts';
import type { MirrorPolicy } from '../config/model';
import type { ConnectionInfo } from '../net/connection';
import type { Rng } from '../routing';
import type { UpstreamCluster } from './cluster';

/** The request as the router sends it upstream (headers after route mutations and rewrites). */
export interface ShadowSource {
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  /** The whole request body, or undefined without one; null when it cannot be copied (too large, aborted). */
  body: () => Promise<Buffer | undefined | null>;
  /** The route timeout (0: none); a shadow never outlives `SHADOW_MAX_MS`. */
  timeoutMs: number;
  /** The downstream connection the request arrived on (a PROXY protocol header names its addresses). */
  downstream?: ConnectionInfo;
}

export interface ShadowDeps {
  clusters: { get(name: string): UpstreamCluster | undefined };
  rng: Rng;
}

/** Upper bound for one shadow request, so a hanging mirror cannot pile up. */
export const SHADOW_MAX_MS = 60_000;

/**
 * Envoy's shadow host: `-shadow` appended to the host, before any port
 * (`reviews:9080` -> `reviews-shadow:9080`).
 */
export function shadowAppendedHost(host: string): string {
  const m = /^(\[[^\]]*\]|[^:]*)(:\d+)?$/.exec(host);
  return m ? `${m[1]}-shadow${m[2] ?? ''}` : `${host}-shadow`;
}

async function send(cluster: UpstreamCluster, src: ShadowSource, body: Buffer | undefined): Promise<void> {
  const host = cluster.pick({});
  if (!host) cluster.stats.counter('upstream_cx_none_healthy').inc();
  if (!host || !cluster.breakers.tryRequest()) return;
  const headers: Record<string, string | string[]> = { ...src.headers, host: shadowAppendedHost(String(src.headers.host ?? '')) };
  if (body) headers['content-length'] = String(body.length);
  host.active++;
  host.total++;
  cluster.stats.counter('upstream_rq_total').inc();
  try {
    const timeout = src.timeoutMs > 0 ? Math.min(src.timeoutMs, SHADOW_MAX_MS) : SHADOW_MAX_MS;
    // The mirror cluster's own transport (TLS / mTLS) through the host's pool; with the PROXY
    // protocol, the pool of the downstream connection, so the header carries its addresses as the
    // primary's does (instead of LOCAL / UNKNOWN).
    const res = await requestOn(host.poolFor(src.downstream), { method: src.method as Dispatcher.HttpMethod, path: src.path, headers, body, signal: AbortSignal.timeout(timeout) });
    cluster.stats.counter(`upstream_rq_${Math.floor(res.statusCode / 100)}xx`).inc();
    cluster.stats.counter('upstream_rq_completed').inc();
    await res.body.dump();
  } catch {
    host.errors++;
  } finally {
    host.active--;
    cluster.breakers.releaseRequest();
  }
}

/**
 * Request mirroring (Envoy's shadow writer): for each mirror policy drawn by its fraction, a copy
 * of the request goes to the mirror cluster with the authority suffixed `-shadow`; the response is
 * discarded. Fire and forget: nothing here delays or fails the primary request, and a body too
 * large to copy (or not fully received) means no shadow.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto#config-route-v3-routeaction-requestmirrorpolicy
 */
export function mirror(deps: ShadowDeps, policies: readonly MirrorPolicy[], src: ShadowSource): void {
  const targets = policies.filter((p) => p.fraction >= 1 || deps.rng() < p.fraction).map((p) => deps.clusters.get(p.cluster));
  const clusters = targets.filter((c): c is UpstreamCluster => c !== undefined);
  if (!clusters.length) return;
  void src
    .body()
    .then((body) => {
      if (body === null) return;
      for (const c of clusters) send(c, src, body).catch(() => undefined);
    })
    .catch(() => undefined);
}
