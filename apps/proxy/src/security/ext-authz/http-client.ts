import type { ExtAuthzService, StringMatcher } from '../../config/model';
import { matchString } from '../../routing';
import { type ClusterLookup, SideCallError, type SideResponse, callCluster } from '../side-call';
import { type AuthzClient, type CheckInput, type CheckResult, type HeaderChange, checkHeaders } from './check';

type HttpService = Extract<ExtAuthzService, { kind: 'http' }>;

/** Request headers always sent to an HTTP authorization service (besides allowed_headers). */
const ALWAYS_SENT = [':authority', ':method', ':path', 'authorization'];
/** Added to a non-empty allowed_client_headers list. */
const CLIENT_DEFAULTS = ['content-length', 'www-authenticate', 'location'];
/** Connection-level headers of the authorization response that never reach a client or upstream. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);
/** Set by the service on an OK answer: request headers to remove (comma separated). */
const HEADERS_TO_REMOVE = 'x-envoy-auth-headers-to-remove';

const anyMatch = (ms: readonly StringMatcher[], key: string): boolean => ms.some((m) => matchString(m, key));

function entries(h: SideResponse['headers']): Array<[string, string]> {
  return Object.entries(h).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v] as [string, string]]));
}

/**
 * ext_authz's HTTP service (Envoy's RawHttpClientImpl): the check is a copy of the request's
 * method, path (after `path_prefix`), authority, `authorization` and `allowed_headers`, with an
 * empty body, sent through `server_uri.cluster`. 200 allows (headers matching
 * allowed_upstream_headers overwrite the request's, ..._to_append append); a 5xx or a failed call
 * is an error; any other status denies with that status, body and the headers allowed_client_headers
 * lets through (all but Host when unset).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/http/ext_authz/v3/ext_authz.proto#extensions-filters-http-ext-authz-v3-httpservice
 */
export class HttpAuthzClient implements AuthzClient {
  constructor(
    private readonly svc: HttpService,
    private readonly clusters: ClusterLookup,
  ) {}

  async check(input: CheckInput): Promise<CheckResult> {
    const all = checkHeaders(input.view);
    const headers: Record<string, string> = { 'content-length': '0' };
    for (const [k, v] of Object.entries(all)) {
      if (k.startsWith(':') || k === 'content-length') continue;
      if (ALWAYS_SENT.includes(k) || anyMatch(this.svc.allowedHeaders, k)) headers[k] = v;
    }
    headers.host = all[':authority'];
    for (const h of this.svc.headersToAdd) headers[h.key] = h.value;
    let res: SideResponse;
    try {
      res = await callCluster(this.clusters, this.svc.cluster, { method: all[':method'], path: this.svc.pathPrefix + all[':path'], headers, timeoutMs: this.svc.timeoutMs });
    } catch (err) {
      return { kind: 'error', reason: err instanceof SideCallError ? err.message : String(err) };
    }
    if (res.status >= 500) return { kind: 'error', reason: `authorization service answered ${res.status}` };
    const list = entries(res.headers).filter(([k]) => !HOP_BY_HOP.has(k));
    if (res.status === 200) return this.ok(list);
    const client = this.svc.allowedClientHeaders;
    const pass = (k: string): boolean => (client.length ? CLIENT_DEFAULTS.includes(k) || anyMatch(client, k) : k !== 'host');
    const denied: HeaderChange[] = list.filter(([k]) => pass(k) && k !== 'content-length').map(([key, value]) => ({ key, value, append: true }));
    return { kind: 'denied', status: res.status, headers: denied, body: res.body.toString('utf8') };
  }

  private ok(list: Array<[string, string]>): CheckResult {
    const headers: HeaderChange[] = [];
    for (const [key, value] of list) {
      if (anyMatch(this.svc.allowedUpstreamHeaders, key)) headers.push({ key, value, append: false });
      else if (anyMatch(this.svc.allowedUpstreamHeadersToAppend, key)) headers.push({ key, value, append: true });
    }
    const remove = list
      .filter(([k]) => k === HEADERS_TO_REMOVE)
      .flatMap(([, v]) => v.split(','))
      .map((s) => s.trim().toLowerCase())
      .filter((s) => s && !s.startsWith(':') && s !== 'host');
    return { kind: 'ok', headers, headersToRemove: remove, responseHeaders: [] };
  }
}
