import type { ProxyNode } from '@mizzen/mesh-model';
import type { ResourceTypeUrl, XdsResource } from '@mizzen/xds-types';
import { PUSH_ORDER } from './type-order';

/** What the server, pusher, registration and debug endpoints need of a stream, SotW or delta. */
export interface ProxyStream {
  readonly id: string;
  readonly proxy: ProxyNode;
  /**
   * Regenerates the given types and sends what changed; returns the responses sent. `onFlushed`
   * runs once every response of this push has been written to the transport (at once if none).
   */
  push(types: ReadonlySet<ResourceTypeUrl>, onFlushed?: () => void): number;
  status(): Record<string, unknown>;
  /** The resources Pilot currently generates for this stream's subscriptions. */
  currentResources(): XdsResource[];
}

/** Generation hook shared by both stream flavours. */
export type GenerateFn = (proxy: ProxyNode, typeUrl: ResourceTypeUrl, names: readonly string[] | undefined) => XdsResource[];
export type WriteFn = (bytes: Buffer, onFlushed?: () => void) => void;

/** Responses of one push still being written; the push is flushed when `pending` reaches 0. */
interface FlushGroup {
  pending: number;
  onFlushed: () => void;
}

/**
 * What SotW and delta streams share: per-type state, pushing in CDS, EDS, LDS, RDS order, and the
 * debug view of what is currently generated. Subclasses decide what to send.
 */
export abstract class TypedStream<S> {
  protected readonly types = new Map<ResourceTypeUrl, S>();
  private group?: FlushGroup;

  constructor(
    readonly proxy: ProxyNode,
    private readonly generateFn: GenerateFn,
    private readonly writeFn: WriteFn,
  ) {}

  /** Sends the type if its content changed (or `force`); returns whether a response went out. */
  protected abstract send(typeUrl: ResourceTypeUrl, st: S, force: boolean): boolean;
  /** The names the client subscribed to; undefined = wildcard. */
  protected abstract requestedNames(st: S): readonly string[] | undefined;

  push(types: ReadonlySet<ResourceTypeUrl>, onFlushed?: () => void): number {
    const group: FlushGroup = { pending: 1, onFlushed: onFlushed ?? noop };
    this.group = group;
    let sent = 0;
    try {
      for (const t of PUSH_ORDER) {
        const st = this.types.get(t);
        if (types.has(t) && st && this.send(t, st, false)) sent++;
      }
    } finally {
      this.group = undefined;
      release(group);
    }
    return sent;
  }

  /** Writes one response; inside {@link push} it joins the push's flush group. */
  protected emit(bytes: Buffer): void {
    const g = this.group;
    if (!g) return this.writeFn(bytes);
    g.pending++;
    this.writeFn(bytes, () => release(g));
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

function release(g: FlushGroup): void {
  if (--g.pending === 0) g.onFlushed();
}

const noop = (): void => undefined;
