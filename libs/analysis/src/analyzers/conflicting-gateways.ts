import type { Gateway } from '@mizzen/config-api';
import { hostsOverlap } from '@mizzen/mesh-model';
import type { Analyzer } from '../analyzer';
import { fullName, refOf, selectorString } from '../context/names';
import type { Message } from '../message';
import { msg } from '../message-types';

/**
 * Istio's `gateway.ConflictingGatewayAnalyzer`: two Gateways with the same workload selector must
 * not both have a server on the same port with overlapping hosts; the gateway proxy would get two
 * virtual hosts for the same domain. Server hosts compare without their `namespace/` part.
 */
export const conflictingGatewayAnalyzer: Analyzer = {
  name: 'gateway.ConflictingGatewayAnalyzer',
  description: "Checks a gateway's selector, port number and hosts",
  codes: ['IST0145'],
  analyze(ctx) {
    // selector~port -> gateway full name -> hosts of its servers on that port
    const index = new Map<string, Map<string, string[]>>();
    for (const gw of ctx.gateways) {
      for (const server of gw.spec.servers ?? []) {
        const key = `${selectorString(gw.spec.selector)}~${server.port.number}`;
        const byGateway = index.get(key) ?? new Map<string, string[]>();
        byGateway.set(fullName(gw), [...(byGateway.get(fullName(gw)) ?? []), ...server.hosts]);
        index.set(key, byGateway);
      }
    }
    return ctx.gateways.flatMap((gw) => analyzeGateway(gw, index));
  },
};

const bare = (h: string): string => h.slice(h.indexOf('/') + 1);

function analyzeGateway(gw: Gateway, index: Map<string, Map<string, string[]>>): Message[] {
  const selector = selectorString(gw.spec.selector);
  const out: Message[] = [];
  (gw.spec.servers ?? []).forEach((server, i) => {
    const others = index.get(`${selector}~${server.port.number}`) ?? new Map<string, string[]>();
    const conflicting = [...others]
      .filter(([name, hosts]) => name !== fullName(gw) && server.hosts.some((h) => hosts.some((o) => hostsOverlap(bare(h), bare(o)))))
      .map(([name]) => name)
      .sort();
    if (conflicting.length > 0) {
      out.push(msg.conflictingGateways(refOf(gw), conflicting.join(','), selector, String(server.port.number), server.hosts.join(','), `spec.servers[${i}]`));
    }
  });
  return out;
}
