import http from 'node:http';
import type { CertAgentState } from '../agent/cert-agent/cert-agent';
import type { ProxyRuntime } from '../runtime';
import { formatPrometheus, formatText } from '../stats';
import { certsView } from './certs-view';
import { clustersJson, clustersText, listenersView } from './clusters-view';
import { type BootstrapInfo, configDump } from './config-dump';
import { explain, parseExplainQuery } from './explain';

export interface AdminOptions {
  runtime: ProxyRuntime;
  bootstrap: BootstrapInfo;
  /** Initial config applied and listeners bound (Envoy's LIVE state). */
  ready: () => boolean;
  /** POST /quitquitquit. */
  quit: () => void;
  serverInfo: () => object;
  /** The certificate agent's state, when the proxy runs one. */
  certAgent?: () => CertAgentState | undefined;
}

interface Reply {
  status: number;
  type: string;
  body: string;
}

const text = (body: string, status = 200): Reply => ({ status, type: 'text/plain; charset=UTF-8', body });
const json = (v: unknown): Reply => ({ status: 200, type: 'application/json', body: `${JSON.stringify(v, null, 2)}\n` });

function safeRegex(src: string | null): RegExp | undefined {
  if (!src) return undefined;
  try {
    return new RegExp(src);
  } catch {
    return undefined;
  }
}

/**
 * Envoy's admin interface, the parts meshctl and operators use.
 * https://www.envoyproxy.io/docs/envoy/latest/operations/admin
 */
export function adminRoutes(o: AdminOptions): Record<string, (url: URL, method: string) => Reply> {
  const rt = o.runtime;
  return {
    '/': () => text(Object.keys(adminRoutes(o)).join('\n') + '\n'),
    '/ready': () => (o.ready() ? text('LIVE\n') : text('PRE_INITIALIZING\n', 503)),
    '/config_dump': (url) => json(configDump(rt, o.bootstrap, url.searchParams.has('include_eds'))),
    '/stats': (url) => (url.searchParams.get('format') === 'prometheus' ? text(formatPrometheus(rt.stats)) : text(formatText(rt.stats, safeRegex(url.searchParams.get('filter'))))),
    '/stats/prometheus': () => text(formatPrometheus(rt.stats)),
    '/clusters': (url) => (url.searchParams.get('format') === 'json' ? json(clustersJson(rt)) : text(clustersText(rt))),
    '/listeners': (url) => text(listenersView(rt, url.searchParams.get('format') === 'json')),
    '/server_info': () => json(o.serverInfo()),
    '/certs': () => json(certsView(rt.secrets, o.certAgent?.())),
    '/explain': (url) => {
      const q = parseExplainQuery(url.searchParams);
      return typeof q === 'string' ? text(`${q}\n`, 400) : json(explain(rt, q));
    },
    '/quitquitquit': (_url, method) => {
      if (method !== 'POST') return text('use POST\n', 405);
      setImmediate(o.quit);
      return text('OK\n');
    },
  };
}

/** Starts the admin server on `host:port`. */
export async function startAdmin(o: AdminOptions, host: string, port: number): Promise<http.Server> {
  const routes = adminRoutes(o);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://admin');
    const route = routes[url.pathname];
    const reply = route ? route(url, req.method ?? 'GET') : text(`unknown admin path ${url.pathname}\n`, 404);
    res.writeHead(reply.status, { 'content-type': reply.type, 'cache-control': 'no-cache, max-age=0' });
    res.end(reply.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
