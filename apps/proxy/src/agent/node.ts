import { NodeMetadataKey, formatInbound, formatNodeId } from '@mizzen/mesh-model';
import type { XdsNode } from '@mizzen/xds-codec';
import type { AgentOptions } from './options';

export const PROXY_VERSION = '0.1.0';

/**
 * The xDS Node this proxy presents: Istio's node id and metadata keys (as istio-agent's
 * bootstrap sets them), plus Mizzen's local-mode keys for inbound ports and service.
 * https://istio.io/latest/docs/ops/diagnostic-tools/proxy-cmd/
 */
export function buildNode(o: AgentOptions): XdsNode {
  const metadata: Record<string, unknown> = {
    [NodeMetadataKey.namespace]: o.namespace,
    [NodeMetadataKey.labels]: o.labels,
    [NodeMetadataKey.serviceAccount]: o.serviceAccount,
    [NodeMetadataKey.instanceIps]: o.ip,
    [NodeMetadataKey.workloadName]: o.workload,
    [NodeMetadataKey.interceptionMode]: o.interceptionMode,
  };
  if (o.inbound.length) metadata[NodeMetadataKey.inbound] = formatInbound(o.inbound);
  if (o.service) metadata[NodeMetadataKey.service] = o.service;
  const node: XdsNode = {
    id: formatNodeId(o.type, o.ip, o.workload, o.namespace),
    cluster: `${o.service ?? o.workload}.${o.namespace}`,
    metadata,
    userAgentName: 'mizzen-proxy',
    userAgentVersion: PROXY_VERSION,
  };
  if (o.locality) node.locality = o.locality;
  return node;
}
