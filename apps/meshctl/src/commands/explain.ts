import type { Command } from 'commander';
import { adminGet, connectedProxies, findProxy, pilotDebugUrl } from '../proxies/proxy-directory';

interface HostView {
  address: string;
  health: string;
  ejected?: boolean;
  locality: string;
  priority: number;
  weight: number;
}
interface ClusterView {
  name: string;
  missing?: boolean;
  lbPolicy?: string;
  transport?: string;
  hosts?: HostView[];
}
interface Explanation {
  listener?: string;
  filterChain?: string;
  routeConfig?: string;
  virtualHost?: { name: string; domains: string[] };
  route?: { name?: string; match: string; index: number };
  authz?: Array<{ filter: string; kind: string; action?: string; allowed?: boolean; policy?: string; note?: string }>;
  action?: { kind: string; clusters?: Array<{ name: string; percent?: number }>; timeoutMs?: number; retry?: { numRetries: number; retryOn: string[] } } & Record<string, unknown>;
  clusters?: ClusterView[];
  verdict: string;
}

/** The text form: one line per step, then each target cluster's hosts as the load balancer sees them. */
export function renderExplanation(e: Explanation): string {
  const lines: string[] = [];
  const row = (k: string, v: string | undefined) => v !== undefined && lines.push(`  ${k.padEnd(13)} ${v}`);
  row('listener', e.listener && (e.filterChain ? `${e.listener} (chain ${e.filterChain})` : e.listener));
  row('route config', e.routeConfig);
  for (const a of e.authz ?? []) {
    row('authz', `${a.filter}${a.action ? ` ${a.action}` : ''}: ${a.note ?? (a.allowed ? 'allowed' : 'DENIED')}${a.policy ? ` (policy ${a.policy})` : ''}`);
  }
  row('virtual host', e.virtualHost && `${e.virtualHost.name} (domains ${e.virtualHost.domains.join(', ')})`);
  row('route', e.route && `#${e.route.index}${e.route.name ? ` "${e.route.name}"` : ''}: ${e.route.match}`);
  if (e.action) {
    const a = e.action;
    const targets = a.clusters?.map((c) => `${c.name}${c.percent !== undefined ? ` ${c.percent}%` : ''}`).join(', ');
    const extras = [a.timeoutMs !== undefined ? `timeout ${a.timeoutMs ? `${a.timeoutMs} ms` : 'none'}` : '', a.retry ? `${a.retry.numRetries} retries on ${a.retry.retryOn.join(',')}` : ''].filter(Boolean);
    row('action', `${a.kind}${targets ? ` -> ${targets}` : ''}${extras.length ? `; ${extras.join('; ')}` : ''}`);
    const rest = Object.entries(a).filter(([k]) => !['kind', 'clusters', 'timeoutMs', 'retry'].includes(k));
    for (const [k, v] of rest) row('', `${k}: ${JSON.stringify(v)}`);
  }
  for (const c of e.clusters ?? []) {
    if (c.missing) {
      lines.push(`  cluster ${c.name}: NOT LOADED (503 NC)`);
      continue;
    }
    lines.push(`  cluster ${c.name} (${c.lbPolicy}, ${c.transport})`);
    for (const h of c.hosts ?? []) lines.push(`    ${h.address.padEnd(22)} ${h.ejected ? 'EJECTED' : h.health}  locality=${h.locality || '-'} priority=${h.priority} weight=${h.weight}`);
    if (!c.hosts?.length) lines.push('    (no endpoints: 503 UH)');
  }
  lines.push(`=> ${e.verdict}`);
  return lines.join('\n');
}

/**
 * `meshctl explain <proxy> <url>`: asks the proxy itself (admin `/explain`) how it would handle a
 * request, so the answer comes from the live config and the proxy's own matching code.
 */
export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('show how a proxy routes a request: listener, virtual host, matching route, action and target endpoints')
    .argument('<proxy>', 'workload name, workload.namespace, node id or IP of a connected proxy (e.g. productpage-v1, istio-ingressgateway)')
    .argument('<url>', 'the request, e.g. http://reviews:9080/reviews/0')
    .option('-X, --method <method>', 'HTTP method', 'GET')
    .option('-H, --header <header...>', 'request header "name: value" (repeatable)')
    .option('--listener <name>', 'explain against this listener instead of the default')
    .option('--inbound', "explain on the proxy's inbound listener for the URL's port (as the server side sees the request)")
    .option('--principal <id>', 'the caller arrives over mTLS as this identity, e.g. cluster.local/ns/default/sa/productpage (authorization policies are evaluated)')
    .option('-o, --output <format>', 'text or json', 'text')
    .option('--pilot <url>', 'Pilot debug URL (default: the local mesh)')
    .action(async (ref: string, url: string, o: { method: string; header?: string[]; listener?: string; inbound?: boolean; principal?: string; output: string; pilot?: string }) => {
      const proxy = findProxy(await connectedProxies(pilotDebugUrl(o.pilot)), ref);
      const q = new URLSearchParams({ url, method: o.method });
      for (const h of o.header ?? []) q.append('header', h);
      if (o.listener) q.set('listener', o.listener);
      else if (o.inbound) q.set('listener', `${proxy.ip}_${new URL(url.includes('://') ? url : `http://${url}`).port || '80'}`);
      if (o.principal) q.set('principal', o.principal);
      const body = await adminGet(proxy, `/explain?${q.toString()}`);
      if (o.output === 'json') {
        process.stdout.write(body);
        return;
      }
      console.log(`${o.method} ${url} at ${proxy.workload}.${proxy.namespace} (${proxy.type}, ${proxy.ip})`);
      console.log(renderExplanation(JSON.parse(body) as Explanation));
    });
}
