import type { DestinationRule } from '@mizzen/config-api';
import { matchesSelector, resolveHost } from '@mizzen/mesh-model';
import type { Analyzer } from '../analyzer';
import type { AnalysisContext } from '../context/context';
import { refOf } from '../context/names';
import type { Message } from '../message';
import { msg } from '../message-types';

/**
 * Istio's `destinationrule.PodNotSelectedAnalyzer`: a DestinationRule's host must match a service
 * visible from its namespace (IST0174; a wildcard host must match at least one), and each subset
 * must select at least one instance of that service (IST0173), or requests routed to it fail with
 * 503 UH. Instances are inline ServiceEntry endpoints, or the running workloads a selector picks;
 * the latter are only checked when the running workloads are known (not for files alone).
 */
export const destinationRuleHostAnalyzer: Analyzer = {
  name: 'destinationrule.PodNotSelectedAnalyzer',
  description: 'Checks that DestinationRule hosts exist and that their subsets select workloads',
  codes: ['IST0173', 'IST0174'],
  analyze: (ctx) => ctx.destinationRules.flatMap((dr) => analyzeDestinationRule(ctx, dr)),
};

function analyzeDestinationRule(ctx: AnalysisContext, dr: DestinationRule): Message[] {
  const ns = dr.metadata.namespace;
  const host = resolveHost(dr.spec.host, ns);
  const services = ctx.servicesMatching(host, ns);
  if (services.length === 0) return [msg.unknownDestinationRuleHost(refOf(dr), dr.spec.host)];
  if (host.startsWith('*')) return [];
  const service = services.find((s) => s.hostname === host);
  const instances = service && ctx.instanceLabels(service);
  if (!instances) return [];
  const out: Message[] = [];
  (dr.spec.subsets ?? []).forEach((subset, i) => {
    if (!instances.some((labels) => matchesSelector(labels, subset.labels))) {
      out.push(msg.destinationRuleSubsetNotSelectPods(refOf(dr), subset.name, `spec.subsets[${i}]`));
    }
  });
  return out;
}
