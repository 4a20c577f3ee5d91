import type { VirtualService } from '@mizzen/config-api';
import { resolveHost } from '@mizzen/mesh-model';
import type { Analyzer } from '../analyzer';
import type { AnalysisContext } from '../context/context';
import { refOf } from '../context/names';
import type { Message } from '../message';
import { msg } from '../message-types';
import { type AnnotatedDestination, mirrorDestinations, routeDestinations } from './vs-destinations';

/**
 * Istio's `virtualservice.DestinationRuleAnalyzer`: a destination naming a subset needs that subset
 * in a DestinationRule for its host. Mizzen checks the DestinationRule Pilot would apply for
 * clients in the VirtualService's namespace (client namespace, then the service's, exact host
 * before wildcard), since a subset missing there is a missing cluster (503 NC) whatever other
 * DestinationRules define.
 */
export const destinationSubsetAnalyzer: Analyzer = {
  name: 'virtualservice.DestinationRuleAnalyzer',
  description: 'Checks the destination rules associated with each virtual service',
  codes: ['IST0101'],
  analyze: (ctx) => ctx.virtualServices.flatMap((vs) => analyzeVirtualService(ctx, vs)),
};

function analyzeVirtualService(ctx: AnalysisContext, vs: VirtualService): Message[] {
  const check = (d: AnnotatedDestination, reftype: string): Message[] => {
    const subset = d.destination.subset;
    if (!subset) return [];
    const ns = vs.metadata.namespace;
    const host = resolveHost(d.destination.host, ns);
    // The catch-all rule, or one that applies to some workloads of the VirtualService's namespace.
    const rules = [ctx.destinationRuleFor(host, ns), ...ctx.workloadDestinationRules(host, ns)];
    if (rules.some((dr) => dr?.spec.subsets?.some((s) => s.name === subset))) return [];
    return [msg.referencedResourceNotFound(refOf(vs), reftype, `${d.destination.host}+${subset}`, `${d.path}.subset`)];
  };
  return [
    ...routeDestinations(vs).flatMap((d) => check(d, 'host+subset in destinationrule')),
    ...mirrorDestinations(vs).flatMap((d) => check(d, 'mirror+subset in destinationrule')),
  ];
}
