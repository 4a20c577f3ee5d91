import type { Gateway } from '@mizzen/config-api';
import { matchesSelector } from '@mizzen/mesh-model';
import type { Analyzer } from '../analyzer';
import type { AnalysisContext } from '../context/context';
import { refOf, selectorString } from '../context/names';
import type { Message } from '../message';
import { msg } from '../message-types';

/**
 * Istio's `gateway.IngressGatewayPortAnalyzer`: each Gateway server port should be a (target) port
 * of a service selecting the gateway's workloads, or clients of that service cannot reach it.
 *
 * Differences, because of how Mizzen runs gateways: gateway proxies do not register themselves in
 * the registry, so a selector matching no workload is not reported (Istio reports IST0101
 * "selector"); and a local gateway listens on its own address with no service in front, so the
 * check only applies when some service does select the gateway's workloads.
 */
export const gatewayPortAnalyzer: Analyzer = {
  name: 'gateway.IngressGatewayPortAnalyzer',
  description: "Checks a gateway's ports against the ports of the services selecting its workloads",
  codes: ['IST0162'],
  analyze: (ctx) => ctx.gateways.flatMap((gw) => analyzeGateway(ctx, gw)),
};

function analyzeGateway(ctx: AnalysisContext, gw: Gateway): Message[] {
  const selector = gw.spec.selector ?? {};
  const pods = ctx.workloads.filter((w) => matchesSelector(w.labels, selector));
  const ports = new Set<number>();
  let fronted = false;
  for (const pod of pods) {
    for (const s of ctx.services) {
      if (!s.selector || s.namespace !== pod.namespace || !matchesSelector(pod.labels, s.selector)) continue;
      fronted = true;
      for (const p of s.ports) ports.add(p.targetPort ?? p.number);
    }
  }
  if (!fronted) return [];
  const out: Message[] = [];
  (gw.spec.servers ?? []).forEach((server, i) => {
    if (!ports.has(server.port.number)) {
      out.push(msg.gatewayPortNotDefinedOnService(refOf(gw), server.port.number, selectorString(selector), `spec.servers[${i}].port.number`));
    }
  });
  return out;
}
