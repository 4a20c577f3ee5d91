import { GenerationCache, generate } from '@mizzen/pilot-core';
import type { XdsResource } from '@mizzen/xds-types';
import { type EncodedResource, type ResourceCache, versionOf } from './resource-cache';

/** One response's worth of generated resources, encoded, with its SotW version computed once. */
export class Generated {
  private v?: string;

  constructor(readonly resources: readonly EncodedResource[]) {}

  /** Hash over names and content hashes (connection.ts sends it as `version_info`). */
  get version(): string {
    this.v ??= versionOf(this.resources);
    return this.v;
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
