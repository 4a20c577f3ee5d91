import type { IstioIngressListener } from '@mizzen/config-api';
import { type InboundPort, protocolFromPortName, type ProxyNode } from '@mizzen/mesh-model';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';

/**
 * The inbound ports a sidecar serves. A Sidecar resource selecting the workload with `ingress`
 * listeners replaces the workload's declared ports (Istio: the ingress listeners replace the
 * ports of the services the workload belongs to). Each listener forwards to its
 * `defaultEndpoint`, which validation restricts to a loopback or wildcard host: the workload itself,
 * which in local mode is the workload's own address (its "pod localhost"). Without it the port's
 * declared target is used. `unix://` endpoints are not served (validated but skipped).
 * https://istio.io/latest/docs/reference/config/networking/sidecar/#IstioIngressListener
 */
export function inboundPortsFor(snapshot: MeshSnapshot, proxy: ProxyNode): readonly InboundPort[] {
  const ingress = snapshot.sidecarFor(proxy)?.spec.ingress;
  if (!ingress?.length) return proxy.inbound;
  return ingress.flatMap((l) => {
    const port = l.port.number;
    if (!port) return [];
    const target = ingressTarget(l, proxy, port);
    if (!target) return [];
    return [{ port, name: l.port.name ?? `ingress-${port}`, protocol: protocolFromPortName(l.port.name, l.port.protocol), target }];
  });
}

function ingressTarget(l: IstioIngressListener, proxy: ProxyNode, port: number): string | undefined {
  const ep = l.defaultEndpoint;
  if (!ep) return proxy.inbound.find((p) => p.port === port)?.target;
  if (ep.startsWith('unix://')) return undefined;
  return `${proxy.ip}:${ep.slice(ep.lastIndexOf(':') + 1)}`;
}
