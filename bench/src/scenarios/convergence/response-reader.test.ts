import { encodeAny, encodeDiscoveryResponse } from '@mizzen/xds-codec';
import { TypeUrl } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { DiscoveryResponseReader } from './response-reader';
import { edsNames, type LightResponse } from './xds-wire';

const grpcFrame = (message: Buffer): Buffer => {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
};

const cluster = (i: number) => encodeAny(TypeUrl.Cluster, { name: `outbound|80||svc-${i}.default.svc.cluster.local`, type: 'EDS', edsClusterConfig: { serviceName: `outbound|80||svc-${i}.default.svc.cluster.local`, edsConfig: { ads: {} } } });
const routes = (hosts: number) =>
  encodeAny(TypeUrl.RouteConfiguration, {
    name: 'http_proxy',
    virtualHosts: Array.from({ length: hosts }, (_, i) => ({ name: `svc-${i}:80`, domains: [`svc-${i}`, `svc-${i}.default.svc.cluster.local:80`], routes: [{ match: { prefix: '/' }, route: { cluster: `outbound|80||svc-${i}` } }] })),
  });

const responses = [
  encodeDiscoveryResponse({ versionInfo: 'c1', typeUrl: TypeUrl.Cluster, nonce: '1', resources: [cluster(0), cluster(1), cluster(2)], controlPlane: { identifier: 'pilot-0' } }),
  encodeDiscoveryResponse({ versionInfo: 'r1', typeUrl: TypeUrl.RouteConfiguration, nonce: '2', resources: [routes(300)], controlPlane: { identifier: 'pilot-0' } }),
  encodeDiscoveryResponse({ versionInfo: '', typeUrl: TypeUrl.Listener, nonce: '3', resources: [] }),
];
const stream = Buffer.concat(responses.map(grpcFrame));

/** Feeds `stream` in chunks of the given sizes (cycled) and returns what the reader emitted. */
function read(chunkSizes: number[]): LightResponse[] {
  const out: LightResponse[] = [];
  const reader = new DiscoveryResponseReader((t) => t === TypeUrl.Cluster, (r) => out.push(r));
  let pos = 0;
  for (let i = 0; pos < stream.length; i++) {
    const n = chunkSizes[i % chunkSizes.length];
    reader.push(stream.subarray(pos, pos + n));
    pos += n;
  }
  return out;
}

describe('DiscoveryResponseReader', () => {
  it.each([
    ['in one chunk', [stream.length]],
    ['byte by byte', [1]],
    ['in HTTP/2-sized DATA frames', [16_384]],
    ['in odd sizes that split every header somewhere', [3, 7, 2, 11, 5, 1, 64]],
  ])('reads envelopes and kept resources, and skips the rest, %s', (_how, sizes) => {
    const out = read(sizes);
    expect(out.map((r) => [r.versionInfo, r.typeUrl, r.nonce, r.resources.length, r.skippedResources])).toEqual([
      ['c1', TypeUrl.Cluster, '1', 3, 0],
      ['r1', TypeUrl.RouteConfiguration, '2', 0, 1],
      ['', TypeUrl.Listener, '3', 0, 0],
    ]);
    expect(edsNames(out[0].resources)).toEqual([0, 1, 2].map((i) => `outbound|80||svc-${i}.default.svc.cluster.local`));
  });

  it('rejects a compressed message rather than misreading it', () => {
    const reader = new DiscoveryResponseReader(() => true, () => undefined);
    expect(() => reader.push(Buffer.from([1, 0, 0, 0, 0]))).toThrow(/compressed/);
  });
});
