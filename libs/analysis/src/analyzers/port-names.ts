import type { Analyzer } from '../analyzer';
import { serviceRef } from '../context/names';
import { msg } from '../message-types';

/**
 * Istio's `service.PortNameAnalyzer`: the ports of platform services (registered workloads'
 * services, Kubernetes Services) are named `<protocol>[-<suffix>]` (or carry an explicit
 * protocol, like `appProtocol`); otherwise the protocol is unknown and Istio falls back to
 * protocol sniffing. ServiceEntry ports declare their protocol and are not checked, as in Istio.
 * https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/
 */
export const portNameAnalyzer: Analyzer = {
  name: 'service.PortNameAnalyzer',
  description: 'Checks the port names associated with each service',
  codes: ['IST0118'],
  analyze: (ctx) =>
    ctx.services
      .filter((s) => s.source.kind === 'Registration' || s.source.kind === 'Kubernetes')
      .flatMap((s) =>
        s.ports.flatMap((p, i) =>
          p.protocol === 'UNKNOWN' ? [msg.portNameIsNotUnderNamingConvention(serviceRef(s), p.name, p.number, String(p.targetPort ?? p.number), `spec.ports[${i}]`)] : [],
        ),
      ),
};
