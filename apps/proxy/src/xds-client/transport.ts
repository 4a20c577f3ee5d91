import * as grpc from '@grpc/grpc-js';
import { type DiscoveryRequest, type DiscoveryResponseIn, createAdsClient } from '@mizzen/xds-codec';

/** One ADS stream, reduced to what the state machine needs; the seam for tests and TLS later. */
export interface AdsStream {
  write(req: DiscoveryRequest): void;
  close(): void;
}

export interface AdsStreamEvents {
  /** The control plane answered (response headers): the stream is established. */
  onOpen(): void;
  onResponse(res: DiscoveryResponseIn): void;
  /** The stream ended or failed; the client reconnects. */
  onClose(reason: string): void;
}

/** Opens a new stream on an existing channel. */
export type AdsConnector = (events: AdsStreamEvents) => AdsStream;

/**
 * StreamAggregatedResources over a plain @grpc/grpc-js channel (insecure for now). The channel is
 * created once and reconnects by itself; each call to the connector opens a fresh stream.
 */
export function grpcAdsConnector(target: string, credentials = grpc.credentials.createInsecure()): { connect: AdsConnector; close(): void } {
  const client = createAdsClient(target, credentials, {
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 10_000,
    'grpc.initial_reconnect_backoff_ms': 250,
    'grpc.max_reconnect_backoff_ms': 10_000,
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
  });
  const connect: AdsConnector = (events) => {
    const call = client.streamAggregatedResources();
    let closed = false;
    const close = (reason: string): void => {
      if (closed) return;
      closed = true;
      events.onClose(reason);
    };
    call.on('metadata', () => events.onOpen());
    call.on('data', (res: DiscoveryResponseIn) => events.onResponse(res));
    call.on('error', (err: grpc.ServiceError) => close(`${grpc.status[err.code] ?? err.code}: ${err.details || err.message}`));
    call.on('end', () => close('stream ended by the control plane'));
    return {
      write: (req) => {
        if (!closed) call.write(req);
      },
      close: () => {
        closed = true;
        call.cancel();
      },
    };
  };
  return { connect, close: () => client.close() };
}
