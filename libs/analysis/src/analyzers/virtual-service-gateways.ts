import type { Gateway, VirtualService } from '@mizzen/config-api';
import { hostsOverlap } from '@mizzen/mesh-model';
import type { Analyzer } from '../analyzer';
import type { AnalysisContext } from '../context/context';
import { fullName, MESH_GATEWAY, qualifyGateway, refOf } from '../context/names';
import type { Message } from '../message';
import { msg } from '../message-types';

/**
 * Istio's `virtualservice.GatewayAnalyzer`: every gateway a VirtualService binds to exists, and at
 * least one of the VirtualService's hosts is among the hosts that gateway's servers expose to the
 * VirtualService's namespace. (Istio also reports IST0132 for a gateway that does not exist; Mizzen
 * reports only the IST0101.)
 */
export const virtualServiceGatewayAnalyzer: Analyzer = {
  name: 'virtualservice.GatewayAnalyzer',
  description: 'Checks the gateways associated with each virtual service',
  codes: ['IST0101', 'IST0132'],
  analyze: (ctx) => ctx.virtualServices.flatMap((vs) => analyzeVirtualService(ctx, vs)),
};

function analyzeVirtualService(ctx: AnalysisContext, vs: VirtualService): Message[] {
  const out: Message[] = [];
  const hosts = vs.spec.hosts ?? [];
  (vs.spec.gateways ?? []).forEach((name, i) => {
    if (name === MESH_GATEWAY) return;
    const path = `spec.gateways[${i}]`;
    const qualified = qualifyGateway(name, vs.metadata.namespace);
    const gw = ctx.gateway(qualified);
    if (!gw) out.push(msg.referencedResourceNotFound(refOf(vs), 'gateway', name, path));
    else if (!hosts.some((h) => gatewayHostsFor(gw, vs.metadata.namespace).some((gh) => hostsOverlap(gh, h)))) {
      out.push(msg.virtualServiceHostNotFoundInGateway(refOf(vs), hosts, fullName(vs), qualified, path));
    }
  });
  return out;
}

/**
 * The hosts a gateway's servers offer to VirtualServices in `namespace`: `host` and `*` + `/host`
 * to every namespace, `<ns>/host` to `<ns>` only (`.` is the gateway's own namespace).
 * https://istio.io/latest/docs/reference/config/networking/gateway/#Server-hosts
 */
export function gatewayHostsFor(gw: Gateway, namespace: string): string[] {
  const out: string[] = [];
  for (const server of gw.spec.servers ?? []) {
    for (const h of server.hosts) {
      const slash = h.indexOf('/');
      if (slash < 0) {
        out.push(h);
        continue;
      }
      const ns = h.slice(0, slash);
      const host = h.slice(slash + 1);
      if (ns === '*' || ns === namespace || (ns === '.' && gw.metadata.namespace === namespace)) out.push(host);
    }
  }
  return out;
}
