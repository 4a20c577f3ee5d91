import { TypeUrl } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { ProxyRuntime, registerXdsHandlers, xdsTypeHandlers } from '../runtime';
import { StatsStore, mergeWorkerStats, snapshotStats } from '../stats';
import * as b from '../testing/xds-builders';
import { parseToPrimary, parseToWorker } from './ipc-messages';
import { decodeXdsMessage, snapshotMessages, xdsMessage } from './xds-forwarding';

const log = (): void => undefined;

describe('worker IPC messages', () => {
  it('accepts well-formed messages and refuses malformed ones', () => {
    expect(parseToWorker({ t: 'xds', typeUrl: TypeUrl.Cluster, versionInfo: 'v', subscribed: 'wildcard', resources: ['AA=='] })).toMatchObject({ t: 'xds' });
    expect(parseToWorker({ t: 'xds', typeUrl: TypeUrl.Cluster, versionInfo: 'v', subscribed: 'all', resources: [] })).toBeUndefined();
    expect(parseToWorker({ t: 'xds', typeUrl: TypeUrl.Cluster, versionInfo: 'v', subscribed: ['a'], resources: [1] })).toBeUndefined();
    expect(parseToWorker({ t: 'secret', secret: { kind: 'validation', name: 'ROOTCA', trustedCa: 'pem' } })).toMatchObject({ t: 'secret' });
    expect(parseToWorker({ t: 'secret', secret: { kind: 'certificate', name: 'default', certificateChain: 'pem' } })).toBeUndefined();
    expect(parseToWorker({ t: 'stats-request', id: '1' })).toBeUndefined();
    expect(parseToWorker({ t: 'reboot' })).toBeUndefined();
    expect(parseToWorker(null)).toBeUndefined();
    expect(parseToPrimary({ t: 'stats', id: 1, samples: [{ kind: 'cluster', scopeName: 'c', stat: 'upstream_rq_total', type: 'counter', value: 3 }] })).toMatchObject({ t: 'stats' });
    expect(parseToPrimary({ t: 'stats', id: 1, samples: [{ kind: 'nope', scopeName: 'c', stat: 's', type: 'counter', value: 3 }] })).toBeUndefined();
    expect(parseToPrimary({ t: 'rejected', typeUrl: TypeUrl.Listener, versionInfo: 'v' })).toBeUndefined();
  });

  it('an applied response survives JSON IPC and applies identically in a worker runtime', () => {
    const primary = new ProxyRuntime({ log, bindListeners: false });
    const forwarded: string[] = [];
    const fakeClient = { register: (typeUrl: string, h: { apply: (r: never, s: never) => string | undefined }) => handlers.set(typeUrl, h), setResourceNames: () => undefined };
    const handlers = new Map<string, { apply: (r: never, s: never) => string | undefined }>();
    registerXdsHandlers(fakeClient as never, primary, (res, sub) => forwarded.push(JSON.stringify(xdsMessage(res, sub))));
    // A cluster with a Duration, enums, addresses and ports.
    const cluster = b.staticCluster('c1', [['127.0.0.1', 8080]], { connectTimeout: { seconds: 3, nanos: 500_000_000 } });
    const err = handlers.get(TypeUrl.Cluster)?.apply({ versionInfo: 'v1', typeUrl: TypeUrl.Cluster, nonce: 'n', resources: [{ typeUrl: TypeUrl.Cluster, body: cluster }] } as never, 'wildcard' as never);
    expect(err).toBeUndefined();
    expect(forwarded).toHaveLength(1);

    const worker = new ProxyRuntime({ log });
    const wh = new Map(xdsTypeHandlers(worker, { setResourceNames: () => undefined }).map((h) => [h.typeUrl, h.handler]));
    const msg = parseToWorker(JSON.parse(forwarded[0]));
    if (msg?.t !== 'xds') throw new Error('not an xds message');
    const { res, subscribed } = decodeXdsMessage(msg);
    expect(wh.get(TypeUrl.Cluster)?.apply(res, subscribed)).toBeUndefined();
    expect(worker.clusters.get('c1')?.config.connectTimeoutMs).toBe(3500);
    expect(worker.clusters.get('c1')?.config).toEqual(primary.clusters.get('c1')?.config);
    // A new worker's replay: the same cluster from the primary's snapshot.
    const replay = snapshotMessages(primary);
    expect(replay.map((m) => [m.typeUrl, m.versionInfo])).toEqual([[TypeUrl.Cluster, 'v1']]);
    expect(decodeXdsMessage(replay[0]).res.resources[0].body).toEqual(res.resources[0].body);
    void primary.close();
    void worker.close();
  });
});

describe('worker stats merge', () => {
  it('sums data-plane stats over workers, keeps config stats from the primary, counts accepts per worker', () => {
    const primary = new StatsStore();
    primary.counter('cluster_manager.cds.update_success').inc(2);
    primary.scope('cluster', 'c').gauge('membership_total').set(3);
    const worker = (cx: number, rq: number): StatsStore => {
      const w = new StatsStore();
      w.counter('cluster_manager.cds.update_success').inc(2);
      w.scope('cluster', 'c').gauge('membership_total').set(3);
      w.scope('cluster', 'c').counter('upstream_rq_total').inc(rq);
      w.scope('cluster', 'c').gauge('upstream_rq_active').set(1);
      w.scope('listener', '127.0.0.1_80').counter('downstream_cx_total').inc(cx);
      return w;
    };
    const merged = mergeWorkerStats(primary, [
      { id: 0, samples: snapshotStats(worker(4, 10)) },
      { id: 1, samples: snapshotStats(worker(6, 5)) },
    ]);
    const value = (kind: 'root' | 'cluster' | 'listener', scope: string, stat: string): number | undefined =>
      snapshotStats(merged).find((s) => s.kind === kind && s.scopeName === scope && s.stat === stat)?.value;
    expect(value('root', '', 'cluster_manager.cds.update_success')).toBe(2);
    expect(value('cluster', 'c', 'membership_total')).toBe(3);
    expect(value('cluster', 'c', 'upstream_rq_total')).toBe(15);
    expect(value('cluster', 'c', 'upstream_rq_active')).toBe(2);
    expect(value('listener', '127.0.0.1_80', 'downstream_cx_total')).toBe(10);
    expect(value('root', '', 'server.worker_0.downstream_cx_total')).toBe(4);
    expect(value('root', '', 'server.worker_1.downstream_cx_total')).toBe(6);
    expect(snapshotStats(merged).find((s) => s.stat === 'upstream_rq_total')?.type).toBe('counter');
  });
});
