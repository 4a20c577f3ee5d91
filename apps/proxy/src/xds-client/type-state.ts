import type { DiscoveryRequest, DiscoveryResponseIn } from '@mizzen/xds-codec';

/** What the client does with a response of one type: validate + apply, or say why not (NACK). */
export interface TypeHandler {
  /** Returns undefined when applied (ACK), or an error message naming resource and field (NACK). */
  apply(res: DiscoveryResponseIn, subscribed: ReadonlySet<string> | 'wildcard'): string | undefined;
}

/**
 * Per type URL subscription state of a state-of-the-world ADS stream.
 * https://www.envoyproxy.io/docs/envoy/latest/api-docs/xds_protocol#ack-nack-and-resource-type-instance-version
 */
export class TypeState {
  /** Version of the last ACKed response (kept across reconnects). */
  version = '';
  /** Nonce of the last response seen on the current stream. */
  nonce = '';
  names: string[] = [];
  /** A request with the current names is owed to the server. */
  dirty = false;
  /** Names have been sent on this stream (an empty list then means "unsubscribe all"). */
  sentOnStream = false;

  constructor(
    readonly typeUrl: string,
    readonly wildcard: boolean,
    readonly handler: TypeHandler,
  ) {}

  /** Wildcard types are always subscribed; named types once they have a name. */
  wantsRequest(): boolean {
    return this.wildcard || this.names.length > 0 || this.sentOnStream;
  }

  subscribed(): ReadonlySet<string> | 'wildcard' {
    return this.wildcard ? 'wildcard' : new Set(this.names);
  }

  setNames(names: readonly string[]): boolean {
    const sorted = [...new Set(names)].sort();
    if (sorted.length === this.names.length && sorted.every((n, i) => n === this.names[i])) return false;
    this.names = sorted;
    this.dirty = true;
    return true;
  }

  request(): DiscoveryRequest {
    return { versionInfo: this.version, resourceNames: this.wildcard ? [] : this.names, typeUrl: this.typeUrl, responseNonce: this.nonce };
  }

  /** A new stream: no nonce yet; the last ACKed version is resent so the server may skip it. */
  resetStream(): void {
    this.nonce = '';
    this.sentOnStream = false;
    this.dirty = false;
  }
}
