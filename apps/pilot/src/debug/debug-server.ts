import http from 'node:http';
import { checkConsistency } from '@mizzen/pilot-core';
import type { ConnectionRegistry } from '../xds/connections';
import type { Pusher } from '../xds/pusher';
import type { GenerationCache } from '@mizzen/pilot-core';
import type { Generated } from '../xds/generated';
import type { ResourceCache } from '../xds/resource-cache';
import { SHORT_NAME } from '../xds/type-order';

export interface DebugSources {
  registry: ConnectionRegistry;
  pusher: Pusher;
  cache: ResourceCache;
  generated: GenerationCache<Generated>;
  ready: () => boolean;
  snapshotInfo: () => Record<string, unknown>;
  nacks: () => number;
}

/**
 * Pilot's debug HTTP endpoints (Istio's istiod :15014 debug interface):
 * - `/debug/syncz`: every connected proxy with the version it has ACKed per type (proxy-status);
 * - `/debug/config_dump?proxyID=ID`: the resources Pilot currently generates for a proxy;
 * - `/ready`, `/metrics` (Prometheus text).
 */
export function startDebugServer(host: string, port: number, src: DebugSources): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://pilot');
    const json = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body, null, 2));
    };
    switch (url.pathname) {
      case '/ready':
        res.writeHead(src.ready() ? 200 : 503).end(src.ready() ? 'ready\n' : 'not ready\n');
        return;
      case '/debug/syncz':
        return json(200, src.registry.all().map((c) => c.status()));
      case '/debug/config_dump': {
        const id = url.searchParams.get('proxyID') ?? '';
        const conn = src.registry.byProxyId(id) ?? src.registry.all().find((c) => c.proxy.workloadName === id);
        if (!conn) return json(404, { error: `no connected proxy with id or workload name "${id}"` });
        const resources = conn.currentResources();
        const byType: Record<string, unknown[]> = {};
        for (const r of resources) (byType[SHORT_NAME[r.typeUrl] ?? r.typeUrl] ??= []).push(r.body);
        return json(200, { proxy: conn.status(), consistency: checkConsistency(resources), resources: byType });
      }
      case '/debug/snapshot':
        return json(200, src.snapshotInfo());
      case '/metrics': {
        const s = src.pusher.stats;
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(
          [
            `pilot_xds_connections ${src.registry.size}`,
            `pilot_xds_pushes_total ${s.pushes}`,
            `pilot_xds_push_time_ms ${s.lastPushMs.toFixed(3)}`,
            `pilot_xds_nacks_total ${src.nacks()}`,
            `pilot_xds_cache_hits_total ${src.cache.hits}`,
            `pilot_xds_cache_misses_total ${src.cache.misses}`,
            `pilot_xds_generation_cache_hits_total ${src.generated.hits}`,
            `pilot_xds_generation_cache_misses_total ${src.generated.misses}`,
            `pilot_xds_generation_cache_entries ${src.generated.size}`,
            `pilot_xds_push_queue_pending ${src.pusher.pending}`,
          ].join('\n') + '\n',
        );
        return;
      }
      default:
        json(404, { error: 'not found', endpoints: ['/ready', '/debug/syncz', '/debug/config_dump?proxyID=', '/debug/snapshot', '/metrics'] });
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
