import * as grpc from '@grpc/grpc-js';
import { type AdsServiceHandlers, type DiscoveryRequest, adsServiceDefinition, encodeAny, encodeDiscoveryResponse } from '@mizzen/xds-codec';

type Stream = grpc.ServerDuplexStream<DiscoveryRequest, Buffer>;

export interface PushedResource {
  typeUrl: string;
  body: object;
}

/**
 * A control plane for tests: a real @grpc/grpc-js ADS server that records every request and
 * sends whatever the test pushes. It can stop and restart on the same port.
 */
export class FakeControlPlane {
  readonly requests: DiscoveryRequest[] = [];
  private server?: grpc.Server;
  private streams = new Set<Stream>();
  private nonce = 0;
  private waiters: Array<{ pred: (r: DiscoveryRequest) => boolean; resolve: (r: DiscoveryRequest) => void; from: number }> = [];
  /** Called for each new stream's first request of a type (e.g. to push the current config). */
  onRequest?: (req: DiscoveryRequest) => void;
  port = 0;

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get connections(): number {
    return this.streams.size;
  }

  async start(port = this.port): Promise<void> {
    const server = new grpc.Server();
    const handlers: AdsServiceHandlers = {
      StreamAggregatedResources: (call) => this.serve(call),
      DeltaAggregatedResources: (call) => call.destroy(new Error('delta is not served here')),
    };
    server.addService(adsServiceDefinition, handlers);
    this.port = await new Promise<number>((resolve, reject) => server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
    this.server = server;
  }

  private serve(call: Stream): void {
    this.streams.add(call);
    call.on('data', (req: DiscoveryRequest) => {
      this.requests.push(req);
      this.onRequest?.(req);
      for (const w of [...this.waiters]) {
        if (this.requests.length - 1 >= w.from && w.pred(req)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(req);
        }
      }
    });
    const drop = (): void => void this.streams.delete(call);
    call.on('end', () => {
      drop();
      call.end();
    });
    call.on('error', drop);
    call.on('cancelled', drop);
  }

  /** Sends a response on every open stream; returns its nonce. */
  push(typeUrl: string, version: string, resources: readonly PushedResource[]): string {
    const nonce = `n${++this.nonce}`;
    const bytes = encodeDiscoveryResponse({ versionInfo: version, typeUrl, nonce, resources: resources.map((r) => encodeAny(r.typeUrl, r.body)) });
    for (const s of this.streams) s.write(bytes);
    return nonce;
  }

  /** The next request (after those already seen, unless `includeSeen`) matching `pred`. */
  nextRequest(pred: (r: DiscoveryRequest) => boolean, timeoutMs = 5000, includeSeen = false): Promise<DiscoveryRequest> {
    if (includeSeen) {
      const found = this.requests.find(pred);
      if (found) return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const w = { pred, resolve, from: this.requests.length };
      this.waiters.push(w);
      setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) {
          this.waiters.splice(i, 1);
          reject(new Error(`no matching xDS request within ${timeoutMs} ms; saw ${JSON.stringify(this.requests.slice(-5))}`));
        }
      }, timeoutMs);
    });
  }

  /**
   * Answers every request that is not an ACK of the last response of its type with the given
   * resources of that type (named types: only the requested names), like a minimal Pilot;
   * requests already received are answered at once.
   */
  serveResources(resources: readonly PushedResource[], version = 'v1', nameOf: (r: PushedResource) => string = defaultName): void {
    const lastNonce = new Map<string, string>();
    this.onRequest = (req) => {
      if (req.responseNonce && req.responseNonce === lastNonce.get(req.typeUrl)) return;
      const wanted = new Set(req.resourceNames);
      const own = resources.filter((r) => r.typeUrl === req.typeUrl && (!wanted.size || wanted.has(nameOf(r))));
      lastNonce.set(req.typeUrl, this.push(req.typeUrl, version, own));
    };
    // Answer what was already asked for, latest request per type.
    const latest = new Map(this.requests.map((r) => [r.typeUrl, r]));
    for (const r of latest.values()) this.onRequest(r);
  }

  /** Stops the server, cutting every stream. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.streams.clear();
    server?.forceShutdown();
  }
}

function defaultName(r: PushedResource): string {
  const b = r.body as { name?: string; clusterName?: string };
  return b.name ?? b.clusterName ?? '';
}
