import { EventEmitter } from 'node:events';
import type { DiscoveryRequest, DiscoveryResponseIn, XdsNode } from '@mizzen/xds-codec';
import { Backoff } from './backoff';
import type { AdsConnector, AdsStream } from './transport';
import { type TypeHandler, TypeState } from './type-state';

/** google.rpc.Code INVALID_ARGUMENT, as Envoy sets on a NACK. */
const INVALID_ARGUMENT = 3;

export interface AdsClientOptions {
  node: XdsNode;
  connect: AdsConnector;
  backoff?: Backoff;
}

export interface AdsClientEvents {
  connected: [];
  /** `wasEstablished`: the stream had been answered (false for a failed connection attempt). */
  disconnected: [reason: string, wasEstablished: boolean];
  ack: [typeUrl: string, version: string];
  nack: [typeUrl: string, message: string];
}

/**
 * State-of-the-world ADS client: one stream for every type, ACK/NACK per response, subscriptions
 * that follow the config (EDS names from CDS, RDS names from LDS), reconnect with back-off.
 * Requests for dependent types are sent after the ACK of the response that changed them, as
 * Envoy pauses EDS/RDS while it applies CDS/LDS.
 * https://www.envoyproxy.io/docs/envoy/latest/api-docs/xds_protocol
 */
export class AdsClient extends EventEmitter<AdsClientEvents> {
  private readonly types = new Map<string, TypeState>();
  private stream?: AdsStream;
  /** The current stream has heard from the control plane. */
  private established = false;
  private nodeSent = false;
  private handling = false;
  private stopped = true;
  private retryTimer?: NodeJS.Timeout;
  private readonly backoff: Backoff;

  constructor(private readonly opts: AdsClientOptions) {
    super();
    this.backoff = opts.backoff ?? new Backoff();
  }

  /** Registers a type; types are requested in registration order (CDS, EDS, LDS, RDS like Envoy). */
  register(typeUrl: string, handler: TypeHandler, wildcard: boolean): void {
    this.types.set(typeUrl, new TypeState(typeUrl, wildcard, handler));
  }

  /** Changes the names of a non-wildcard subscription; sent now, or after the response being handled. */
  setResourceNames(typeUrl: string, names: readonly string[]): void {
    const t = this.types.get(typeUrl);
    if (t && !t.wildcard && t.setNames(names) && !this.handling) this.flush();
  }

  /** True once the control plane has answered on the current stream. */
  get connected(): boolean {
    return this.established;
  }

  /** Last ACKed version per type. */
  versions(): Record<string, string> {
    return Object.fromEntries([...this.types.values()].map((t) => [t.typeUrl, t.version]));
  }

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.stream?.close();
    this.stream = undefined;
    this.established = false;
  }

  private open(): void {
    if (this.stopped) return;
    this.nodeSent = false;
    for (const t of this.types.values()) t.resetStream();
    this.established = false;
    const stream = this.opts.connect({
      onOpen: () => this.onOpen(stream),
      onResponse: (res) => this.onResponse(stream, res),
      onClose: (reason) => this.onClose(stream, reason),
    });
    this.stream = stream;
    for (const t of this.types.values()) if (t.wantsRequest()) this.send(t);
  }

  private onOpen(stream: AdsStream): void {
    if (stream !== this.stream || this.established) return;
    this.established = true;
    this.backoff.reset();
    this.emit('connected');
  }

  private onClose(stream: AdsStream, reason: string): void {
    if (stream !== this.stream) return;
    const wasEstablished = this.established;
    this.stream = undefined;
    this.established = false;
    this.emit('disconnected', reason, wasEstablished);
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => this.open(), this.backoff.next());
  }

  private onResponse(stream: AdsStream, res: DiscoveryResponseIn): void {
    if (stream !== this.stream) return;
    this.onOpen(stream);
    const t = this.types.get(res.typeUrl);
    if (!t) return;
    t.nonce = res.nonce;
    this.handling = true;
    let error: string | undefined;
    try {
      error = t.handler.apply(res, t.subscribed());
    } catch (err) {
      error = `internal error applying ${res.typeUrl}: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      this.handling = false;
    }
    if (error === undefined) t.version = res.versionInfo;
    this.send(t, error);
    if (error === undefined) this.emit('ack', t.typeUrl, t.version);
    else this.emit('nack', t.typeUrl, error);
    this.flush();
  }

  /** Sends the requests owed for changed subscriptions. */
  private flush(): void {
    for (const t of this.types.values()) if (t.dirty && t.wantsRequest()) this.send(t);
  }

  private send(t: TypeState, error?: string): void {
    if (!this.stream) return;
    const req: DiscoveryRequest = t.request();
    if (error !== undefined) req.errorDetail = { code: INVALID_ARGUMENT, message: error };
    if (!this.nodeSent) req.node = this.opts.node;
    this.nodeSent = true;
    t.dirty = false;
    t.sentOnStream = true;
    this.stream.write(req);
  }
}
