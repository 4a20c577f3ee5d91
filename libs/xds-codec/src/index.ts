/**
 * @mizzen/xds-codec: Envoy v3 xDS protobuf encoding (protobufjs over the protos shipped with
 * @grpc/grpc-js-xds) and the ADS gRPC service binding. Takes and returns plain objects in
 * protobufjs form; @mizzen/xds-types gives them their types (apps cast at the boundary).
 */
export { encodeAny, encodeAnyWithEncodedElements, decodeAny, decodeAnyValue, wrapAny } from './any';
export { encodeMessage } from './convert';
export {
  encodeDiscoveryRequest,
  decodeDiscoveryRequest,
  encodeDiscoveryResponse,
  decodeDiscoveryResponse,
  type DiscoveryRequest,
  type DiscoveryResponseIn,
  type ResourceIn,
  type DiscoveryResponseOut,
  type XdsNode,
  type XdsErrorDetail,
} from './discovery';
export {
  encodeDeltaDiscoveryRequest,
  decodeDeltaDiscoveryRequest,
  encodeDeltaDiscoveryResponse,
  decodeDeltaDiscoveryResponse,
  type DeltaDiscoveryRequest,
  type DeltaDiscoveryResponseIn,
  type DeltaDiscoveryResponseOut,
  type DeltaResourceIn,
  type DeltaResourceOut,
} from './delta';
export { structToJson, jsonToStruct } from './struct';
export { XdsCodecError, TO_OBJECT_OPTIONS } from './convert';
export { preloadProtos, loadStats, type ProtoLoadStats } from './proto-root';
export { PROTO_FILES } from './proto-files';
export {
  ADS_SERVICE_NAME,
  adsServiceDefinition,
  createAdsClient,
  type AdsClient,
  type AdsClientFull,
  type AdsMethodDefinition,
  type AdsServiceDefinition,
  type AdsServiceHandlers,
} from './grpc';
