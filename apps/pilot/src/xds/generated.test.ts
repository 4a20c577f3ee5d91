import { decodeDiscoveryResponse } from '@mizzen/xds-codec';
import { TypeUrl } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { Generated } from './generated';
import { ResourceCache } from './resource-cache';

const cache = new ResourceCache();
const route = (name: string) => cache.encode({ name, typeUrl: TypeUrl.RouteConfiguration, body: { name, virtualHosts: [{ name: 'a', domains: ['a'], routes: [] }] } });

describe('Generated.response', () => {
  it('encodes the DiscoveryResponse once and hands every stream the same buffer and nonce', () => {
    const g = new Generated([route('http_proxy')]);
    const a = g.response(TypeUrl.RouteConfiguration, 'pilot-0', undefined);
    const b = g.response(TypeUrl.RouteConfiguration, 'pilot-0', '17');
    expect(b.bytes).toBe(a.bytes);
    expect(b.nonce).toBe(a.nonce);
    const decoded = decodeDiscoveryResponse(a.bytes);
    expect(decoded).toMatchObject({ versionInfo: g.version, typeUrl: TypeUrl.RouteConfiguration, nonce: a.nonce });
    expect(decoded.resources).toHaveLength(1);
  });

  it('gives a stream whose last response was this one a new nonce, so nonces never repeat back to back', () => {
    const g = new Generated([route('http_proxy')]);
    const first = g.response(TypeUrl.RouteConfiguration, 'pilot-0', undefined);
    const again = g.response(TypeUrl.RouteConfiguration, 'pilot-0', first.nonce);
    expect(again.nonce).not.toBe(first.nonce);
    expect(decodeDiscoveryResponse(again.bytes).nonce).toBe(again.nonce);
    expect(decodeDiscoveryResponse(again.bytes).versionInfo).toBe(decodeDiscoveryResponse(first.bytes).versionInfo);
  });

  it('never shares a nonce between different entries', () => {
    const x = new Generated([route('x')]).response(TypeUrl.RouteConfiguration, 'pilot-0', undefined);
    const y = new Generated([route('y')]).response(TypeUrl.RouteConfiguration, 'pilot-0', undefined);
    expect(x.nonce).not.toBe(y.nonce);
  });
});
