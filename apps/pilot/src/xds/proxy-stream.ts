import type { ProxyNode } from '@mizzen/mesh-model';
import type { ResourceTypeUrl, XdsResource } from '@mizzen/xds-types';
import { PUSH_ORDER } from './type-order';

/** What the server, pusher, registration and debug endpoints need of a stream, SotW or delta. */
export interface ProxyStream {
  readonly id: string;
  readonly proxy: ProxyNode;
  /** Regenerates the given types and sends what changed; returns the responses sent. */
  push(types: ReadonlySet<ResourceTypeUrl>): number;
  status(): Record<string, unknown>;
  /** The resources Pilot currently generates for this stream's subscriptions. */
  currentResources(): XdsResource[];
}

/** Generation hook shared by both stream flavours. */
export type GenerateFn = (proxy: ProxyNode, typeUrl: ResourceTypeUrl, names: readonly string[] | undefined) => XdsResource[];

/**
 * What SotW and delta streams share: per-type state, pushing in CDS, EDS, LDS, RDS order, and the
 * debug view of what is currently generated. Subclasses decide what to send.
 */
export abstract class TypedStream<S> {
  protected readonly types = new Map<ResourceTypeUrl, S>();

  constructor(
    readonly proxy: ProxyNode,
    private readonly generateFn: GenerateFn,
  ) {}

  /** Sends the type if its content changed (or `force`); returns whether a response went out. */
  protected abstract send(typeUrl: ResourceTypeUrl, st: S, force: boolean): boolean;
  /** The names the client subscribed to; undefined = wildcard. */
  protected abstract requestedNames(st: S): readonly string[] | undefined;

  push(types: ReadonlySet<ResourceTypeUrl>): number {
    let sent = 0;
    for (const t of PUSH_ORDER) {
      const st = this.types.get(t);
      if (types.has(t) && st && this.send(t, st, false)) sent++;
    }
    return sent;
  }

  currentResources(): XdsResource[] {
    const out: XdsResource[] = [];
    for (const t of PUSH_ORDER) {
      const st = this.types.get(t);
      if (st) out.push(...this.generateFn(this.proxy, t, this.requestedNames(st)));
    }
    return out;
  }
}
