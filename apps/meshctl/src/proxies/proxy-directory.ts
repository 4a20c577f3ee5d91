import { DEFAULT_STATE_DIR, readStateFile } from '../up/mesh-state-file';

/** One connected proxy as Pilot's `/debug/syncz` lists it. */
export interface ConnectedProxy {
  id: string;
  type: string;
  namespace: string;
  workload: string;
  ip: string;
  types: Record<string, { sent?: string; acked?: string; nacked?: string; synced?: boolean; lastNackError?: string }>;
}

/** Envoy's admin port; every Mizzen proxy binds it on its own address. */
export const ADMIN_PORT = 15000;

/** Pilot's debug URL: `--pilot`, then MIZZEN_PILOT_DEBUG, then the local mesh's state file. */
export function pilotDebugUrl(flag?: string): string {
  return flag ?? process.env.MIZZEN_PILOT_DEBUG ?? readStateFile(DEFAULT_STATE_DIR)?.pilotDebug ?? 'http://127.0.0.1:15014';
}

/** The proxies connected to Pilot. */
export async function connectedProxies(pilot: string): Promise<ConnectedProxy[]> {
  const res = await fetch(`${pilot}/debug/syncz`).catch((e: Error) => {
    throw new Error(`cannot reach Pilot at ${pilot}: ${e.message}`);
  });
  return (await res.json()) as ConnectedProxy[];
}

/**
 * Finds a proxy by workload (`reviews-v1`), `workload.namespace`, node id or IP. Several matches
 * (the same workload name in two namespaces) are an error that lists them.
 */
export function findProxy(all: readonly ConnectedProxy[], ref: string): ConnectedProxy {
  const hits = all.filter((p) => p.workload === ref || `${p.workload}.${p.namespace}` === ref || p.id === ref || p.ip === ref);
  if (hits.length === 1) return hits[0];
  const known = all.map((p) => `${p.workload}.${p.namespace}`).sort().join(', ') || 'none';
  if (hits.length === 0) throw new Error(`no connected proxy "${ref}" (connected: ${known})`);
  throw new Error(`"${ref}" is ambiguous: ${hits.map((p) => `${p.workload}.${p.namespace}`).join(', ')}; name it as workload.namespace`);
}

/** GET on a proxy's admin interface; a non-2xx answer is an error carrying the body. */
export async function adminGet(proxy: ConnectedProxy, pathAndQuery: string): Promise<string> {
  const url = `http://${proxy.ip.includes(':') ? `[${proxy.ip}]` : proxy.ip}:${ADMIN_PORT}${pathAndQuery}`;
  const res = await fetch(url).catch((e: Error) => {
    throw new Error(`cannot reach the admin interface of ${proxy.workload} at ${url}: ${e.message}`);
  });
  const body = await res.text();
  if (!res.ok) throw new Error(`${proxy.workload} ${pathAndQuery.split('?')[0]}: ${res.status} ${body.trim()}`);
  return body;
}
