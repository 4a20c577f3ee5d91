import { GenerationCache, generate } from '@mizzen/pilot-core';
import { encodeDiscoveryResponse } from '@mizzen/xds-codec';
import type { XdsResource } from '@mizzen/xds-types';
import { type EncodedResource, type ResourceCache, versionOf } from './resource-cache';

/** A DiscoveryResponse on the wire and the nonce inside it. */
export interface EncodedResponse {
  nonce: string;
  bytes: Buffer;
}

let nonceSeq = 0;

/**
 * One response's worth of generated resources, encoded, with its SotW version computed once, and
 * the DiscoveryResponse itself encoded once for every stream that sends this entry: a push of one
 * RouteConfiguration to 1000 sidecars hands the same buffer to each stream instead of copying the
 * resources into 1000 fresh responses.
 */
export class Generated {
  private v?: string;
  private encoded?: EncodedResponse & { typeUrl: string; controlPlaneId: string };

  constructor(readonly resources: readonly EncodedResource[]) {}

  /** Hash over names and content hashes (connection.ts sends it as `version_info`). */
  get version(): string {
    this.v ??= versionOf(this.resources);
    return this.v;
  }

  /**
   * The response carrying these resources. Streams share its nonce: the xDS protocol only needs a
   * nonce to tell a stream's responses of one type apart (an ACK names the response it answers),
   * so a stream whose last response of the type was this very one (`previousNonce`) gets a fresh
   * encoding with a new nonce, and no stream ever sees the same nonce twice in a row.
   */
  response(typeUrl: string, controlPlaneId: string, previousNonce: string | undefined): EncodedResponse {
    const e = this.encoded;
    if (e && e.typeUrl === typeUrl && e.controlPlaneId === controlPlaneId && e.nonce !== previousNonce) return e;
    const nonce = `${++nonceSeq}`;
    const bytes = encodeDiscoveryResponse({ versionInfo: this.version, typeUrl, nonce, resources: this.resources.map((r) => r.bytes), controlPlane: { identifier: controlPlaneId } });
    this.encoded = { typeUrl, controlPlaneId, nonce, bytes };
    return this.encoded;
  }
}

/**
 * The generation cache Pilot serves from: generator output keyed per generation-keys.ts, encoded
 * and hashed once per entry through the content-addressed {@link ResourceCache}.
 */
export function createGenerationCache(encoder: ResourceCache): GenerationCache<Generated> {
  return new GenerationCache<Generated>({
    generate,
    build: (resources: readonly XdsResource[]) => new Generated(resources.map((r) => encoder.encode(r))),
    combine: (parts) => (parts.length === 1 ? parts[0] : new Generated(parts.flatMap((p) => p.resources))),
  });
}
