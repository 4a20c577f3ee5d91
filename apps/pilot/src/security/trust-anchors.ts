import { proxyConfigResource } from '@mizzen/pilot-core';
import type { XdsResource } from '@mizzen/xds-types';
import { Generated } from '../xds/generated';
import type { ResourceCache } from '../xds/resource-cache';

/**
 * The mesh trust bundle as Pilot serves it over PCDS: one ProxyConfig for every proxy that asks,
 * encoded once per bundle. Empty (no extra anchors) until Citadel has published a bundle.
 */
export class TrustAnchors {
  private resource: XdsResource = proxyConfigResource([]);
  private encoded: Generated;

  constructor(private readonly encoder: ResourceCache) {
    this.encoded = new Generated([encoder.encode(this.resource)]);
  }

  /** The PCDS response content (with its version). */
  get generated(): Generated {
    return this.encoded;
  }

  current(): XdsResource[] {
    return [this.resource];
  }

  /** Replaces the roots; true when the served content changed. */
  set(roots: readonly string[]): boolean {
    const next = proxyConfigResource(roots);
    const before = this.encoded.version;
    const encoded = new Generated([this.encoder.encode(next)]);
    if (encoded.version === before) return false;
    this.resource = next;
    this.encoded = encoded;
    return true;
  }

  /** How many anchors are served. */
  get count(): number {
    return (this.resource.body as { caCertificatesPem?: string[] }).caCertificatesPem?.length ?? 0;
  }
}
