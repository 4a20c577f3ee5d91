import http2 from 'node:http2';
import { adsServiceDefinition, type DiscoveryRequest } from '@mizzen/xds-codec';
import { DiscoveryResponseReader } from './response-reader';
import type { LightResponse } from './xds-wire';

/**
 * Envoy's default HTTP/2 windows for its xDS cluster (initial_stream_window_size and
 * initial_connection_window_size: 256 MiB), so a 450 KB RDS never waits on a WINDOW_UPDATE.
 */
const ENVOY_XDS_WINDOW = 256 * 1024 * 1024;

export interface AdsStreamHandlers {
  /** Which resources (by their Any type URL) to keep; the others are skipped unread. */
  keep: (resourceTypeUrl: string) => boolean;
  onResponse: (r: LightResponse) => void;
  onError: (message: string) => void;
  onEnd: () => void;
}

/**
 * One ADS stream (envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources)
 * spoken directly over node:http2: its own TCP connection, gRPC length-prefixed messages
 * (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md), requests encoded by
 * @mizzen/xds-codec and responses read as they stream in by {@link DiscoveryResponseReader}.
 * The simulated sidecars use it instead of a grpc-js channel so that 1000 of them sharing a
 * worker process spend their CPU on what an Envoy must do (read the bytes, ACK) rather than on
 * assembling and decoding messages they never look into. No client keepalive pings, like Envoy
 * on xDS by default: Pilot's event loop can be busy for seconds during a push.
 */
export class AdsH2Stream {
  private readonly session: http2.ClientHttp2Session;
  private readonly stream: http2.ClientHttp2Stream;
  private ended = false;

  constructor(target: string, h: AdsStreamHandlers) {
    const reader = new DiscoveryResponseReader(h.keep, h.onResponse);
    const fail = (message: string): void => {
      if (this.ended) return;
      this.ended = true;
      h.onError(message);
    };
    this.session = http2.connect(`http://${target}`, { settings: { initialWindowSize: ENVOY_XDS_WINDOW, enablePush: false } });
    this.session.on('connect', () => this.session.setLocalWindowSize(ENVOY_XDS_WINDOW));
    this.session.on('error', (e) => fail(e.message));
    this.stream = this.session.request({
      ':method': 'POST',
      ':path': adsServiceDefinition.StreamAggregatedResources.path,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    this.stream.on('data', (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch (e) {
        fail((e as Error).message);
        this.close();
      }
    });
    this.stream.on('trailers', (t) => {
      const status = Number(t['grpc-status'] ?? 0);
      if (status !== 0) fail(`grpc-status ${status}: ${t['grpc-message'] ?? ''}`);
    });
    this.stream.on('response', (headers) => {
      // A trailers-only response (immediate error) carries grpc-status in its headers.
      const status = headers['grpc-status'];
      if (status !== undefined && Number(status) !== 0) fail(`grpc-status ${status}: ${headers['grpc-message'] ?? ''}`);
    });
    this.stream.on('error', (e) => fail(e.message));
    this.stream.on('close', () => {
      if (!this.ended) {
        this.ended = true;
        h.onEnd();
      }
    });
  }

  write(req: DiscoveryRequest): void {
    const body = adsServiceDefinition.StreamAggregatedResources.requestSerialize(req);
    const frame = Buffer.allocUnsafe(5 + body.length);
    frame[0] = 0;
    frame.writeUInt32BE(body.length, 1);
    body.copy(frame, 5);
    this.stream.write(frame);
  }

  close(): void {
    this.ended = true;
    if (!this.stream.destroyed) this.stream.close(http2.constants.NGHTTP2_CANCEL);
    this.session.close();
    this.session.destroy();
  }
}
