/**
 * @mizzen/xds-types: TypeScript shapes of the Envoy v3 xDS messages Mizzen generates and
 * consumes, in the plain-object form of protobufjs (camelCase fields, enums by name, 64-bit ints
 * as numbers, Duration as { seconds, nanos }, wrappers as { value }, Any as { '@type', ...fields },
 * Struct as plain JSON). Pure: no I/O, no protobuf runtime; @mizzen/xds-codec does the encoding.
 */
export * from './type-urls';
export * from './wkt';
export * from './duration';
export * from './core';
export * from './matcher';
export * from './listener';
export * from './http-connection-manager';
export * from './http-filters';
export * from './route';
export * from './cluster';
export * from './endpoint';
export * from './tls';
export * from './discovery';
export * from './resource';
export * from './proxy-config';
export type { ResourceType } from './resource-types/resource-type';
export { resourceTypes, isResourceTypeUrl } from './resource-types/registry';
export { listenerType } from './resource-types/listener';
export { routeConfigurationType } from './resource-types/route-configuration';
export { clusterType } from './resource-types/cluster';
export { clusterLoadAssignmentType } from './resource-types/cluster-load-assignment';
export { proxyConfigType } from './resource-types/proxy-config';
export { secretType } from './resource-types/secret';
