import { encodeMessage } from '@mizzen/xds-codec';
import { BoundedLru } from './bounded-lru';

const VIRTUAL_HOST = 'envoy.config.route.v3.VirtualHost';

/** One VirtualHost's canonical JSON (its content key) and its encoded bytes. */
export interface EncodedVirtualHost {
  json: string;
  bytes: Uint8Array;
}

/**
 * Encoded VirtualHosts cached by content (their JSON), so a RouteConfiguration of 1000 hosts is
 * re-assembled from cached bytes and only the hosts that changed are encoded again: a
 * VirtualService apply changes one host of every sidecar's `http_proxy` routes, and encoding all
 * of them used to be ~110 ms of serial work before the first push. Bounded LRU.
 */
export class VirtualHostCache {
  private readonly entries: BoundedLru<string, Uint8Array>;

  constructor(maxEntries = 20_000) {
    this.entries = new BoundedLru(maxEntries);
  }

  get misses(): number {
    return this.entries.misses;
  }

  encode(vhost: unknown): EncodedVirtualHost {
    const json = JSON.stringify(vhost);
    return { json, bytes: this.entries.getOrCreate(json, () => encodeMessage(VIRTUAL_HOST, vhost)) };
  }
}
