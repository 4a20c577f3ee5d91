import type { IstioIngressListener, ServerTLSSettings } from '@mizzen/config-api';
import { type InboundPort, type Protocol, protocolFromPortName, type ProxyNode } from '@mizzen/mesh-model';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';

/**
 * The inbound ports a sidecar serves. A Sidecar resource selecting the workload with `ingress`
 * listeners replaces the workload's declared ports (Istio: the ingress listeners replace the
 * ports of the services the workload belongs to). Each listener forwards to its
 * `defaultEndpoint`, which validation restricts to a loopback or wildcard host: the workload itself,
 * which in local mode is the workload's own address (its "pod localhost"). Without it the port's
 * declared target is used. `unix://` endpoints are not served (validated but skipped).
 * A listener with `tls` terminates TLS itself (see {@link SidecarInboundPort.tls}).
 * https://istio.io/latest/docs/reference/config/networking/sidecar/#IstioIngressListener
 */
export function inboundPortsFor(snapshot: MeshSnapshot, proxy: ProxyNode): readonly SidecarInboundPort[] {
  const ingress = snapshot.sidecarFor(proxy)?.spec.ingress;
  if (!ingress?.length) return proxy.inbound;
  return ingress.flatMap((l) => {
    const port = l.port.number;
    if (!port) return [];
    const target = ingressTarget(l, proxy, port);
    if (!target) return [];
    const protocol = protocolFromPortName(l.port.name, l.port.protocol);
    const name = l.port.name ?? `ingress-${port}`;
    return [l.tls ? { port, name, protocol: afterTlsTermination(protocol), target, tls: l.tls } : { port, name, protocol, target }];
  });
}

/**
 * An inbound port; `tls` is a Sidecar ingress listener's own TLS termination ("TLS termination on
 * the sidecar for requests originating from outside the mesh"), which replaces the
 * PeerAuthentication-driven mesh mTLS on that port. Its `protocol` is then the one after
 * termination (Istio `AfterTLSTermination`: HTTPS serves HTTP, TLS serves TCP). Istio gates this
 * behind `ENABLE_TLS_ON_SIDECAR_INGRESS`; Mizzen reads no flags inside generators and always honours it.
 */
export interface SidecarInboundPort extends InboundPort {
  tls?: ServerTLSSettings;
}

/** Istio `Protocol.AfterTLSTermination`. */
function afterTlsTermination(p: Protocol): Protocol {
  if (p === 'HTTPS') return 'HTTP';
  if (p === 'TLS') return 'TCP';
  return p;
}

function ingressTarget(l: IstioIngressListener, proxy: ProxyNode, port: number): string | undefined {
  const ep = l.defaultEndpoint;
  if (!ep) return proxy.inbound.find((p) => p.port === port)?.target;
  if (ep.startsWith('unix://')) return undefined;
  return `${proxy.ip}:${ep.slice(ep.lastIndexOf(':') + 1)}`;
}
