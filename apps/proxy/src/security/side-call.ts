import type { Dispatcher } from 'undici';
import type { UpstreamCluster } from '../upstream';
import { requestOn, requestUrl } from '../upstream/undici-parts';

/** What security filters need of the cluster manager: clusters by name. */
export interface ClusterLookup {
  get(name: string): UpstreamCluster | undefined;
}

export interface SideRequest {
  method: string;
  /** Path with query. */
  path: string;
  headers: Record<string, string | string[]>;
  body?: Buffer;
  timeoutMs: number;
}

export interface SideResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** The call could not complete: no cluster, no healthy host, connection failure, timeout. */
export class SideCallError extends Error {}

function headersOf(h: Dispatcher.ResponseData['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = v;
  return out;
}

/**
 * An HTTP/1.1 request the proxy makes on its own behalf (Envoy's async client): JWKS fetches and
 * ext_authz HTTP checks. It goes to a host the cluster's load balancer picks, counted against the
 * cluster's max_requests circuit breaker.
 */
export async function callCluster(clusters: ClusterLookup, clusterName: string, req: SideRequest): Promise<SideResponse> {
  const cluster = clusters.get(clusterName);
  if (!cluster) throw new SideCallError(`cluster "${clusterName}" not found`);
  const host = cluster.pick({});
  if (!host) {
    cluster.stats.counter('upstream_cx_none_healthy').inc();
    throw new SideCallError(`no healthy upstream in "${clusterName}"`);
  }
  if (!cluster.breakers.tryRequest()) throw new SideCallError(`"${clusterName}" is overflowing`);
  host.active++;
  host.total++;
  cluster.stats.counter('upstream_rq_total').inc();
  try {
    const res = await requestOn(host.pool, {
      method: req.method as Dispatcher.HttpMethod,
      path: req.path,
      headers: req.headers,
      body: req.body,
      signal: req.timeoutMs > 0 ? AbortSignal.timeout(req.timeoutMs) : undefined,
    });
    const body = Buffer.from(await res.body.arrayBuffer());
    cluster.stats.counter(`upstream_rq_${Math.floor(res.statusCode / 100)}xx`).inc();
    cluster.stats.counter('upstream_rq_completed').inc();
    return { status: res.statusCode, headers: headersOf(res.headers), body };
  } catch (err) {
    host.errors++;
    throw new SideCallError(err instanceof Error ? err.message : String(err));
  } finally {
    host.active--;
    cluster.breakers.releaseRequest();
  }
}

/** A GET straight to a URL (http or https), for a JWKS whose cluster this proxy does not have. */
export async function callUrl(url: string, timeoutMs: number): Promise<SideResponse> {
  try {
    const res = await requestUrl(url, { method: 'GET', signal: timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined });
    return { status: res.statusCode, headers: headersOf(res.headers), body: Buffer.from(await res.body.arrayBuffer()) };
  } catch (err) {
    throw new SideCallError(err instanceof Error ? err.message : String(err));
  }
}
