import type { Code, Level, Message, ResourceRef } from './message';

export interface MessageType {
  /** Istio's message name, e.g. `ReferencedResourceNotFound`. */
  name: string;
  level: Level;
  description: string;
}

/**
 * The Istio message types Mizzen reports, with Istio's names, codes, levels and descriptions, from
 * istio/istio `pkg/config/analysis/msg/messages.yaml`. Codes are never reused for another meaning.
 */
export const MESSAGE_TYPES: { readonly [C in Code]: MessageType } = {
  IST0101: { name: 'ReferencedResourceNotFound', level: 'Error', description: 'A resource being referenced does not exist.' },
  IST0106: { name: 'SchemaValidationError', level: 'Error', description: 'The resource has a schema validation error.' },
  IST0109: {
    name: 'ConflictingMeshGatewayVirtualServiceHosts',
    level: 'Error',
    description: 'Conflicting hosts on VirtualServices associated with mesh gateway',
  },
  IST0110: {
    name: 'ConflictingSidecarWorkloadSelectors',
    level: 'Error',
    description: 'A Sidecar resource selects the same workloads as another Sidecar resource',
  },
  IST0111: {
    name: 'MultipleSidecarsWithoutWorkloadSelectors',
    level: 'Error',
    description: 'More than one sidecar resource in a namespace has no workload selector',
  },
  IST0112: {
    name: 'VirtualServiceDestinationPortSelectorRequired',
    level: 'Error',
    description: 'A VirtualService routes to a service with more than one port exposed, but does not specify which to use.',
  },
  IST0118: {
    name: 'PortNameIsNotUnderNamingConvention',
    level: 'Info',
    description: 'Port name is not under naming convention. Protocol detection is applied to the port.',
  },
  IST0130: {
    name: 'VirtualServiceUnreachableRule',
    level: 'Warning',
    description: 'A VirtualService rule will never be used because a previous rule uses the same match.',
  },
  IST0131: { name: 'VirtualServiceIneffectiveMatch', level: 'Info', description: 'A VirtualService rule match duplicates a match in a previous rule.' },
  IST0132: { name: 'VirtualServiceHostNotFoundInGateway', level: 'Warning', description: 'Host defined in VirtualService not found in Gateway.' },
  IST0133: { name: 'SchemaWarning', level: 'Warning', description: 'The resource has a schema validation warning.' },
  IST0145: { name: 'ConflictingGateways', level: 'Error', description: 'Gateway should not have the same selector, port and matched hosts of server' },
  IST0162: { name: 'GatewayPortNotDefinedOnService', level: 'Warning', description: 'Gateway port not exposed by service' },
  IST0173: { name: 'DestinationRuleSubsetNotSelectPods', level: 'Error', description: 'Subsets defined in destination does not select any pods.' },
  IST0174: {
    name: 'UnknownDestinationRuleHost',
    level: 'Warning',
    description: 'Host defined in destination rule does not match any services in the mesh.',
  },
};

/** Istio's page for a code, e.g. https://istio.io/latest/docs/reference/config/analysis/ist0101/ */
export function documentationUrl(code: Code): string {
  return `https://istio.io/latest/docs/reference/config/analysis/${code.toLowerCase()}/`;
}

/** Go's `%q` for the strings analyzers quote (JSON escaping is the same for printable ASCII). */
const q = (s: string): string => JSON.stringify(s);
/** Go's `%v` of a slice: `[a b c]`. */
const list = (xs: readonly (string | number)[]): string => `[${xs.join(' ')}]`;

function make(code: Code, resource: ResourceRef, message: string, path?: string): Message {
  return { code, level: MESSAGE_TYPES[code].level, message, resource, ...(path ? { path } : {}) };
}

/**
 * One constructor per message type, with Istio's templates and argument order, so every analyzer
 * words a code the same way.
 */
export const msg = {
  referencedResourceNotFound: (r: ResourceRef, reftype: string, refval: string, path?: string): Message =>
    make('IST0101', r, `Referenced ${reftype} not found: ${q(refval)}`, path),
  schemaValidationError: (r: ResourceRef, err: string, path?: string): Message => make('IST0106', r, `Schema validation error: ${err}`, path),
  conflictingMeshGatewayVirtualServiceHosts: (r: ResourceRef, virtualServices: string, host: string): Message =>
    make(
      'IST0109',
      r,
      `The VirtualServices ${virtualServices} associated with mesh gateway define the same host ${host} which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource.`,
      'spec.hosts',
    ),
  conflictingSidecarWorkloadSelectors: (r: ResourceRef, sidecars: readonly string[], namespace: string, workload: string): Message =>
    make(
      'IST0110',
      r,
      `The Sidecars ${list(sidecars)} in namespace ${q(namespace)} select the same workload pod ${q(workload)}, which can lead to undefined behavior.`,
      'spec.workloadSelector',
    ),
  multipleSidecarsWithoutWorkloadSelectors: (r: ResourceRef, sidecars: readonly string[], namespace: string): Message =>
    make('IST0111', r, `The Sidecars ${list(sidecars)} in namespace ${q(namespace)} have no workload selector, which can lead to undefined behavior.`),
  virtualServiceDestinationPortSelectorRequired: (r: ResourceRef, destHost: string, destPorts: readonly number[], path: string): Message =>
    make(
      'IST0112',
      r,
      `This VirtualService routes to a service ${q(destHost)} that exposes multiple ports ${list(destPorts)}. Specifying a port in the destination is required to disambiguate.`,
      path,
    ),
  portNameIsNotUnderNamingConvention: (r: ResourceRef, portName: string, port: number, targetPort: string, path: string): Message =>
    make('IST0118', r, `Port name ${portName} (port: ${port}, targetPort: ${targetPort}) doesn't follow the naming convention of Istio port.`, path),
  virtualServiceUnreachableRule: (r: ResourceRef, ruleno: string, reason: string, path: string): Message =>
    make('IST0130', r, `VirtualService rule ${ruleno} not used (${reason}).`, path),
  virtualServiceIneffectiveMatch: (r: ResourceRef, ruleno: string, matchno: string, dupno: string, path: string): Message =>
    make('IST0131', r, `VirtualService rule ${ruleno} match ${matchno} is not used (duplicate/overlapping match in rule ${dupno}).`, path),
  virtualServiceHostNotFoundInGateway: (r: ResourceRef, hosts: readonly string[], virtualService: string, gateway: string, path: string): Message =>
    make('IST0132', r, `one or more host ${list(hosts)} defined in VirtualService ${virtualService} not found in Gateway ${gateway}.`, path),
  schemaWarning: (r: ResourceRef, err: string, path?: string): Message => make('IST0133', r, `Schema validation warning: ${err}`, path),
  conflictingGateways: (r: ResourceRef, gateways: string, selector: string, port: string, hosts: string, path: string): Message =>
    make('IST0145', r, `Conflict with gateways ${gateways} (workload selector ${selector}, port ${port}, hosts ${hosts}).`, path),
  gatewayPortNotDefinedOnService: (r: ResourceRef, port: number, selector: string, path: string): Message =>
    make(
      'IST0162',
      r,
      `The gateway is listening on a target port (port ${port}) that is not defined in the Service associated with its workload instances (Pod selector ${selector}). If you need to access the gateway port through the gateway Service, it will not be available.`,
      path,
    ),
  destinationRuleSubsetNotSelectPods: (r: ResourceRef, subset: string, path: string): Message =>
    make('IST0173', r, `The Subset ${subset} defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).`, path),
  unknownDestinationRuleHost: (r: ResourceRef, host: string): Message =>
    make('IST0174', r, `The host ${host} defined in the DestinationRule does not match any services in the mesh.`, 'spec.host'),
};
