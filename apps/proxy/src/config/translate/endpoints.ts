import { isIP } from 'node:net';
import type * as xds from '@mizzen/xds-types';
import type { EndpointAssignment, LbEndpoint } from '../model';
import { DEFAULT_OVERPROVISIONING_FACTOR } from '../model';
import { type Issues, at } from './issues';

function localityName(l: xds.Locality | undefined): string {
  if (!l) return '';
  return [l.region ?? '', l.zone ?? '', l.subZone ?? ''].join('/').replace(/\/+$/, '');
}

type LocalityGroup = Pick<LbEndpoint, 'locality' | 'priority' | 'localityWeight'>;

function lbEndpoint(e: xds.LbEndpoint, path: string, issues: Issues, group: LocalityGroup, allowHostnames: boolean): LbEndpoint | undefined {
  const sa = e.endpoint?.address?.socketAddress;
  const ap = at(path, 'endpoint.address.socketAddress');
  if (!sa) {
    issues.error(at(path, 'endpoint.address'), 'a socket address is required');
    return undefined;
  }
  if (!sa.address || (!allowHostnames && !isIP(sa.address))) issues.error(at(ap, 'address'), `"${sa.address}" is not an IP address`);
  if (sa.namedPort) issues.error(at(ap, 'namedPort'), 'named ports are not supported');
  const port = sa.portValue ?? 0;
  if (!(port >= 1 && port <= 65535)) issues.error(at(ap, 'portValue'), `invalid port ${port}`);
  const weight = e.loadBalancingWeight?.value ?? 1;
  if (weight < 1) issues.error(at(path, 'loadBalancingWeight'), 'must be at least 1');
  const transportSocketMatch = e.metadata?.filterMetadata?.['envoy.transport_socket_match'];
  return { host: sa.address, port, weight, health: e.healthStatus ?? 'UNKNOWN', ...group, ...(transportSocketMatch ? { transportSocketMatch } : {}) };
}

/**
 * ClusterLoadAssignment (EDS, or a cluster's inline load_assignment). Endpoint addresses must be
 * IP literals unless the cluster resolves names (STRICT_DNS / LOGICAL_DNS). Each locality group
 * carries its priority (0 preferred; Envoy expects them contiguous from 0) and its
 * load_balancing_weight (only used with locality-weighted LB); policy.overprovisioning_factor
 * (default 140) scales priority and locality health.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/endpoint/v3/endpoint.proto
 */
export function loadAssignment(cla: xds.ClusterLoadAssignment, path: string, issues: Issues, allowHostnames = false): EndpointAssignment {
  if (!cla.clusterName) issues.error(at(path, 'clusterName'), 'cluster name is required');
  if (cla.policy?.dropOverloads?.length) issues.warn(at(path, 'policy.dropOverloads'), 'drop overloads are not implemented; ignored');
  const endpoints: LbEndpoint[] = [];
  (cla.endpoints ?? []).forEach((g, i) => {
    const gp = at(at(path, 'endpoints'), i);
    const group = { locality: localityName(g.locality), priority: g.priority ?? 0, localityWeight: g.loadBalancingWeight?.value ?? 0 };
    (g.lbEndpoints ?? []).forEach((e, j) => {
      const ep = lbEndpoint(e, at(at(gp, 'lbEndpoints'), j), issues, group, allowHostnames);
      if (ep) endpoints.push(ep);
    });
  });
  const priorities = new Set(endpoints.map((e) => e.priority));
  for (let p = 0; p < priorities.size; p++) if (!priorities.has(p)) issues.warn(at(path, 'endpoints'), `priorities should be contiguous from 0; ${p} is missing`);
  const factor = cla.policy?.overprovisioningFactor?.value;
  if (factor !== undefined && factor < 1) issues.error(at(path, 'policy.overprovisioningFactor'), 'must be greater than zero');
  return { clusterName: cla.clusterName ?? '', endpoints, overprovisioningFactor: factor === undefined ? DEFAULT_OVERPROVISIONING_FACTOR : factor / 100 };
}
