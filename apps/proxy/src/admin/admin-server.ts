import http from 'node:http';
import type { CertAgentState } from '../agent/cert-agent/cert-agent';
import type { ProxyRuntime } from '../runtime';
import { type StatsStore, formatPrometheus, formatText } from '../stats';
import { certsView } from './certs-view';
import { clustersJson, clustersText, listenersView } from './clusters-view';
import { type BootstrapInfo, configDump } from './config-dump';
import { explain, parseExplainQuery } from './explain';
import { memoryView } from './memory-view';

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
  /**
   * The stats `/stats` and `/stats/prometheus` show; default the runtime's own. With worker
   * processes, the proxy-wide view gathered from the workers over IPC.
   */
  stats?: () => Promise<StatsStore>;
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
export function adminRoutes(o: AdminOptions): Record<string, (url: URL, method: string) => Reply | Promise<Reply>> {
  const rt = o.runtime;
  const stats = o.stats ?? (async () => rt.stats);
  return {
    '/': () => text(Object.keys(adminRoutes(o)).join('\n') + '\n'),
    '/ready': () => (o.ready() ? text('LIVE\n') : text('PRE_INITIALIZING\n', 503)),
    '/config_dump': (url) => json(configDump(rt, o.bootstrap, url.searchParams.has('include_eds'))),
    '/stats': async (url) => {
      const store = await stats();
      return url.searchParams.get('format') === 'prometheus' ? text(formatPrometheus(store)) : text(formatText(store, safeRegex(url.searchParams.get('filter'))));
    },
    '/stats/prometheus': async () => text(formatPrometheus(await stats())),
    '/clusters': (url) => (url.searchParams.get('format') === 'json' ? json(clustersJson(rt)) : text(clustersText(rt))),
    '/listeners': (url) => text(listenersView(rt, url.searchParams.get('format') === 'json')),
    '/server_info': () => json(o.serverInfo()),
    '/memory': () => json(memoryView()),
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
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://admin');
    const route = routes[url.pathname];
    let reply: Reply;
    try {
      reply = route ? await route(url, req.method ?? 'GET') : text(`unknown admin path ${url.pathname}\n`, 404);
    } catch (err) {
      reply = text(`${err instanceof Error ? err.message : String(err)}\n`, 500);
    }
    res.writeHead(reply.status, { 'content-type': reply.type, 'cache-control': 'no-cache, max-age=0' });
    res.end(reply.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
