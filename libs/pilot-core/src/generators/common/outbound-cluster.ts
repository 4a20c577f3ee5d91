import type { Service, ServicePort } from '@mizzen/mesh-model';
import { type Cluster, TypeUrl } from '@mizzen/xds-types';
import { outboundClusterName } from '../../naming/cluster-name';
import type { MeshSnapshot, RuleClient } from '../../snapshot/mesh-snapshot';
import { buildLoadAssignment } from './endpoints';
import { ADS_SOURCE } from './hcm';
import { applyTrafficPolicy, effectivePolicy } from './traffic-policy';
import { upstreamProxyProtocol } from './upstream-proxy-protocol';
import { upstreamTransport } from '../security/upstream-tls';
import { hasIstioSidecar } from '../../snapshot/endpoint';

/**
 * The outbound clusters of one service port: the default cluster plus one per DestinationRule
 * subset. STATIC/NONE-with-selector services use EDS; DNS services carry their hosts inline.
 * The upstream transport (auto mTLS, or the DestinationRule's `tls`) comes last: it depends on the
 * final cluster type and protocol, and (`gateway`) on whether a gateway originates the TLS
 * (only gateways read `credentialName`, as in Istio); `proxyProtocol` wraps whatever transport results.
 */
export function outboundClusters(snapshot: MeshSnapshot, svc: Service, port: ServicePort, client: RuleClient, gateway = false): Cluster[] {
  const dr = snapshot.destinationRuleFor(svc.hostname, client);
  const subsets = ['', ...(dr?.spec.subsets ?? []).map((s) => s.name)];
  return subsets.map((subset) => {
    const name = outboundClusterName(port.number, subset, svc.hostname);
    const policy = effectivePolicy(dr, subset, port.number);
    const cluster = applyTrafficPolicy(baseCluster(svc, port, name), policy, snapshot.mesh.connectTimeoutMs);
    const transport = upstreamTransport(snapshot, svc, port, subset, policy, cluster, gateway);
    return { ...cluster, ...transport, ...upstreamProxyProtocol(transport, policy?.proxyProtocol) };
  });
}

function baseCluster(svc: Service, port: ServicePort, name: string): Cluster {
  const common: Cluster = { name, altStatName: name, ...http2Options(port.protocol) };
  switch (svc.resolution) {
    case 'DNS':
    case 'DNS_ROUND_ROBIN': {
      const hosts = svc.endpoints?.length ? svc.endpoints.map((e) => ({ address: e.address, port: e.ports?.[port.name] ?? port.targetPort ?? port.number, locality: e.locality ?? '', weight: e.weight || 1, labels: e.labels ?? {}, ...(hasIstioSidecar(undefined, e.labels) ? { tlsMode: 'istio' as const } : {}) })) : [{ address: svc.hostname, port: port.targetPort ?? port.number, locality: '', weight: 1, labels: {} }];
      return { ...common, type: svc.resolution === 'DNS' ? 'STRICT_DNS' : 'LOGICAL_DNS', loadAssignment: buildLoadAssignment(name, hosts) };
    }
    case 'NONE':
      if (!svc.selector && !svc.endpoints) return { ...common, type: 'ORIGINAL_DST', lbPolicy: 'CLUSTER_PROVIDED' };
      break;
    default:
      break;
  }
  return { ...common, type: 'EDS', edsClusterConfig: { edsConfig: ADS_SOURCE, serviceName: name } };
}

/**
 * HTTP/2 to the upstream for GRPC and HTTP2 ports, in Istio's shape:
 * typed_extension_protocol_options[envoy.extensions.upstreams.http.v3.HttpProtocolOptions].
 */
export function http2Options(protocol: ServicePort['protocol']): Pick<Cluster, 'typedExtensionProtocolOptions'> {
  if (protocol !== 'GRPC' && protocol !== 'HTTP2') return {};
  return {
    typedExtensionProtocolOptions: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': { '@type': TypeUrl.HttpProtocolOptions, explicitHttpConfig: { http2ProtocolOptions: {} } },
    },
  };
}
