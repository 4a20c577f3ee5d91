import { decodeDiscoveryResponse, encodeAny, encodeDiscoveryResponse } from '@mizzen/xds-codec';
import { TypeUrl } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { ConfigSnapshot } from './config-snapshot';

const cluster = (name: string, ms: number) => ({ name, type: 'EDS', connectTimeout: { seconds: '0', nanos: ms * 1e6 } });
const response = (version: string, ...clusters: object[]) =>
  decodeDiscoveryResponse(encodeDiscoveryResponse({ versionInfo: version, typeUrl: TypeUrl.Cluster, nonce: version, resources: clusters.map((c) => encodeAny(TypeUrl.Cluster, c)) }));
const named = (res: ReturnType<typeof response>) => res.resources.map((r) => ({ name: r.body.name as string, ...r }));

describe('ConfigSnapshot', () => {
  it('keeps each resource as its received bytes and decodes the body on demand', () => {
    const s = new ConfigSnapshot();
    const res = response('1', cluster('a', 250));
    s.record(TypeUrl.Cluster, '1', named(res), true);
    const e = s.get(TypeUrl.Cluster).resources.get('a');
    expect(e?.body).toEqual(res.resources[0].body);
    expect(e?.encoded.equals(Buffer.from(res.resources[0].encoded as Uint8Array))).toBe(true);
    // A copy: the response buffer the received bytes point into is not kept alive.
    const body = e?.body;
    res.resources[0].encoded?.fill(0);
    expect(e?.body).toEqual(body);
  });

  it('keeps the version and time of a resource whose bytes did not change', () => {
    const s = new ConfigSnapshot();
    s.record(TypeUrl.Cluster, '1', named(response('1', cluster('a', 250), cluster('b', 250))), true, new Date(1000));
    s.record(TypeUrl.Cluster, '2', named(response('2', cluster('a', 250), cluster('b', 500))), true, new Date(2000));
    const t = s.get(TypeUrl.Cluster);
    expect(t.version).toBe('2');
    expect([t.resources.get('a')?.version, t.resources.get('b')?.version]).toEqual(['1', '2']);
    expect(t.resources.get('b')?.body).toMatchObject({ connectTimeout: { nanos: 500e6 } });
  });

  it('encodes a body given without bytes (a response built in memory)', () => {
    const s = new ConfigSnapshot();
    s.record(TypeUrl.Cluster, '1', [{ name: 'a', body: cluster('a', 250) }], true);
    expect(s.get(TypeUrl.Cluster).resources.get('a')?.body).toMatchObject({ name: 'a', type: 'EDS' });
  });

  it('replaces the set for a complete type and merges for a partial one', () => {
    const s = new ConfigSnapshot();
    s.record(TypeUrl.Cluster, '1', named(response('1', cluster('a', 1), cluster('b', 1))), true);
    s.record(TypeUrl.Cluster, '2', named(response('2', cluster('b', 1))), true);
    expect([...s.get(TypeUrl.Cluster).resources.keys()]).toEqual(['b']);
    s.record(TypeUrl.Cluster, '3', named(response('3', cluster('c', 1))), false);
    expect([...s.get(TypeUrl.Cluster).resources.keys()]).toEqual(['b', 'c']);
  });
});
