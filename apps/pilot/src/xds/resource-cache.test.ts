import { decodeAny, encodeAny } from '@mizzen/xds-codec';
import { TypeUrl, type VirtualHost, type XdsResource } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { ResourceCache } from './resource-cache';

const vhost = (i: number, timeout = 0): VirtualHost => ({ name: `svc-${i}:80`, domains: [`svc-${i}`, `svc-${i}:80`], routes: [{ match: { prefix: '/' }, route: { cluster: `outbound|80||svc-${i}`, timeout: { seconds: timeout } } }] });
const routes = (hosts: VirtualHost[]): XdsResource => ({ typeUrl: TypeUrl.RouteConfiguration, name: 'http_proxy', body: { name: 'http_proxy', validateClusters: { value: false }, virtualHosts: hosts } });

describe('ResourceCache', () => {
  it('encodes a RouteConfiguration from per-VirtualHost bytes into the same message as a whole encode', () => {
    const r = routes([vhost(0), vhost(1), vhost(2)]);
    const e = new ResourceCache().encode(r);
    expect(decodeAny(e.bytes).body).toEqual(decodeAny(encodeAny(r.typeUrl, r.body)).body);
  });

  it('re-encodes only the VirtualHosts that changed, and the hash follows the content', () => {
    const cache = new ResourceCache();
    const a = cache.encode(routes([vhost(0), vhost(1), vhost(2)]));
    const same = cache.encode(routes([vhost(0), vhost(1), vhost(2)]));
    expect(same.hash).toBe(a.hash);
    expect(same.bytes).toBe(a.bytes);
    const hostCache = (cache as unknown as { virtualHosts: { hits: number; misses: number } }).virtualHosts;
    const misses = hostCache.misses;
    const changed = cache.encode(routes([vhost(0), vhost(1, 5), vhost(2)]));
    expect(changed.hash).not.toBe(a.hash);
    expect(hostCache.misses - misses).toBe(1);
    expect(decodeAny(changed.bytes).body).toEqual(decodeAny(encodeAny(TypeUrl.RouteConfiguration, routes([vhost(0), vhost(1, 5), vhost(2)]).body)).body);
  });

  it('hashes other resources by their whole content', () => {
    const cache = new ResourceCache();
    const c = (port: number): XdsResource => ({ typeUrl: TypeUrl.Cluster, name: 'c', body: { name: 'c', connectTimeout: { seconds: port } } });
    expect(cache.encode(c(1)).hash).toBe(cache.encode(c(1)).hash);
    expect(cache.encode(c(1)).hash).not.toBe(cache.encode(c(2)).hash);
  });
});
