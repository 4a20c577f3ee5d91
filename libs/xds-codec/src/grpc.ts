/**
 * gRPC binding of envoy.service.discovery.v3.AggregatedDiscoveryService with Buffer codecs, for a
 * plain @grpc/grpc-js server (Pilot) and client (the sidecar). The server writes pre-assembled
 * response Buffers (encodeDiscoveryResponse output) and reads decoded requests; the client writes
 * request objects and reads decoded responses.
 */
import * as grpc from '@grpc/grpc-js';
import {
  decodeDeltaDiscoveryRequest,
  decodeDeltaDiscoveryResponse,
  encodeDeltaDiscoveryRequest,
  type DeltaDiscoveryRequest,
  type DeltaDiscoveryResponseIn,
} from './delta';
import {
  decodeDiscoveryRequest,
  decodeDiscoveryResponse,
  encodeDiscoveryRequest,
  type DiscoveryRequest,
  type DiscoveryResponseIn,
} from './discovery';

export const ADS_SERVICE_NAME = 'envoy.service.discovery.v3.AggregatedDiscoveryService';

const identity = (b: Buffer): Buffer => b;

/** A bidi method: requests as objects both ways; responses as Buffers out of the server, objects into the client. */
export interface AdsMethodDefinition<Req, ResIn> {
  path: string;
  originalName: string;
  requestStream: true;
  responseStream: true;
  requestSerialize: (r: Req) => Buffer;
  requestDeserialize: (b: Buffer) => Req;
  responseSerialize: (b: Buffer) => Buffer;
  responseDeserialize: (b: Buffer) => ResIn;
}

export type AdsServiceDefinition = {
  StreamAggregatedResources: AdsMethodDefinition<DiscoveryRequest, DiscoveryResponseIn>;
  DeltaAggregatedResources: AdsMethodDefinition<DeltaDiscoveryRequest, DeltaDiscoveryResponseIn>;
};

/** Handlers for `server.addService(adsServiceDefinition, handlers)`. */
export type AdsServiceHandlers = {
  StreamAggregatedResources: grpc.handleBidiStreamingCall<DiscoveryRequest, Buffer>;
  DeltaAggregatedResources: grpc.handleBidiStreamingCall<DeltaDiscoveryRequest, Buffer>;
};

export const adsServiceDefinition: AdsServiceDefinition & grpc.ServiceDefinition = {
  StreamAggregatedResources: {
    path: `/${ADS_SERVICE_NAME}/StreamAggregatedResources`,
    originalName: 'streamAggregatedResources',
    requestStream: true,
    responseStream: true,
    requestSerialize: encodeDiscoveryRequest,
    requestDeserialize: decodeDiscoveryRequest,
    responseSerialize: identity,
    responseDeserialize: decodeDiscoveryResponse,
  },
  DeltaAggregatedResources: {
    path: `/${ADS_SERVICE_NAME}/DeltaAggregatedResources`,
    originalName: 'deltaAggregatedResources',
    requestStream: true,
    responseStream: true,
    requestSerialize: encodeDeltaDiscoveryRequest,
    requestDeserialize: decodeDeltaDiscoveryRequest,
    responseSerialize: identity,
    responseDeserialize: decodeDeltaDiscoveryResponse,
  },
};

/** The ADS client the sidecar uses (SotW). */
export interface AdsClient {
  streamAggregatedResources(
    metadata?: grpc.Metadata,
    options?: grpc.CallOptions,
  ): grpc.ClientDuplexStream<DiscoveryRequest, DiscoveryResponseIn>;
  close(): void;
}

/** What createAdsClient actually returns: AdsClient plus delta xDS and the underlying client. */
export interface AdsClientFull extends AdsClient {
  deltaAggregatedResources(
    metadata?: grpc.Metadata,
    options?: grpc.CallOptions,
  ): grpc.ClientDuplexStream<DeltaDiscoveryRequest, DeltaDiscoveryResponseIn>;
  /** The underlying grpc-js client, e.g. for waitForReady() or getChannel(). */
  readonly client: grpc.Client;
}

export function createAdsClient(
  target: string,
  credentials: grpc.ChannelCredentials,
  options?: grpc.ChannelOptions,
): AdsClientFull {
  const client = new grpc.Client(target, credentials, options);
  const sotw = adsServiceDefinition.StreamAggregatedResources;
  const delta = adsServiceDefinition.DeltaAggregatedResources;
  return {
    client,
    streamAggregatedResources: (metadata = new grpc.Metadata(), callOptions = {}) =>
      client.makeBidiStreamRequest(sotw.path, sotw.requestSerialize, sotw.responseDeserialize, metadata, callOptions),
    deltaAggregatedResources: (metadata = new grpc.Metadata(), callOptions = {}) =>
      client.makeBidiStreamRequest(delta.path, delta.requestSerialize, delta.responseDeserialize, metadata, callOptions),
    close: () => client.close(),
  };
}
