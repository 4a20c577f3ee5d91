import { encodeMessage } from '@mizzen/xds-codec';

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
  private readonly entries = new Map<string, Uint8Array>();
  hits = 0;
  misses = 0;

  constructor(private readonly maxEntries = 20_000) {}

  encode(vhost: unknown): EncodedVirtualHost {
    const json = JSON.stringify(vhost);
    let bytes = this.entries.get(json);
    if (bytes) {
      this.hits++;
      this.entries.delete(json);
    } else {
      this.misses++;
      bytes = encodeMessage(VIRTUAL_HOST, vhost);
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(json, bytes);
    return { json, bytes };
  }
}
