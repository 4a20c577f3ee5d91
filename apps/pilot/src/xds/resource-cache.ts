import { createHash } from 'node:crypto';
import { encodeAny, encodeAnyWithEncodedElements } from '@mizzen/xds-codec';
import { TypeUrl, type XdsResource } from '@mizzen/xds-types';
import { BoundedLru } from './bounded-lru';
import { VirtualHostCache } from './virtual-host-cache';

/** An encoded resource: its Any bytes and a content hash used for versions. */
export interface EncodedResource {
  name: string;
  hash: string;
  bytes: Buffer;
}

/**
 * Encoded xDS resources cached by content hash, so a push concatenates cached bytes instead of
 * re-encoding (the same cluster is shared by every proxy that sees it). Bounded LRU.
 *
 * Hashing (a JSON.stringify and SHA-1 of the whole body) costs about as much as encoding, so it
 * is done once per body object: a generator or the generation cache that hands back the same
 * object again gets its hash from a WeakMap. Bodies are never mutated after generation (they are
 * pure outputs), which is what makes identity a valid stand-in for content.
 *
 * A RouteConfiguration is hashed and encoded per VirtualHost through {@link VirtualHostCache}, so a
 * change to one host of a 1000-host route table re-encodes that host only.
 */
export class ResourceCache {
  private readonly entries: BoundedLru<string, Buffer>;
  private readonly byIdentity = new WeakMap<object, { typeUrl: string; hash: string; bytes: Buffer }>();
  private readonly virtualHosts = new VirtualHostCache();
  private identityHits = 0;

  constructor(maxEntries = 50_000) {
    this.entries = new BoundedLru(maxEntries);
  }

  get hits(): number {
    return this.identityHits + this.entries.hits;
  }

  get misses(): number {
    return this.entries.misses;
  }

  encode(r: XdsResource): EncodedResource {
    const known = this.byIdentity.get(r.body);
    if (known && known.typeUrl === r.typeUrl) {
      this.identityHits++;
      return { name: r.name, hash: known.hash, bytes: known.bytes };
    }
    const split = splitRoutes(r, this.virtualHosts);
    const hash = split?.hash ?? contentHash(r.typeUrl, JSON.stringify(r.body));
    const bytes = this.entries.getOrCreate(hash, () => (split ? split.encode() : encodeAny(r.typeUrl, r.body)));
    this.byIdentity.set(r.body, { typeUrl: r.typeUrl, hash, bytes });
    return { name: r.name, hash, bytes };
  }
}

function contentHash(typeUrl: string, ...json: string[]): string {
  const h = createHash('sha1').update(typeUrl);
  for (const j of json) h.update('\0').update(j);
  return h.digest('base64url').slice(0, 16);
}

/** A RouteConfiguration's content hash and encoder, built from its per-VirtualHost encodings. */
function splitRoutes(r: XdsResource, cache: VirtualHostCache): { hash: string; encode: () => Buffer } | undefined {
  if (r.typeUrl !== TypeUrl.RouteConfiguration) return undefined;
  const { virtualHosts, ...rest } = r.body as { virtualHosts?: unknown[] };
  if (!Array.isArray(virtualHosts)) return undefined;
  const hosts = virtualHosts.map((v) => cache.encode(v));
  return {
    hash: contentHash(r.typeUrl, JSON.stringify(rest), ...hosts.map((h) => h.json)),
    encode: () => encodeAnyWithEncodedElements(r.typeUrl, rest, 'virtualHosts', hosts.map((h) => h.bytes)),
  };
}

/** The version of a set of resources: a hash over their names and content hashes (order-independent). */
export function versionOf(resources: readonly EncodedResource[]): string {
  const h = createHash('sha1');
  for (const r of [...resources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) h.update(r.name).update('\0').update(r.hash).update('\n');
  return h.digest('hex').slice(0, 12);
}
