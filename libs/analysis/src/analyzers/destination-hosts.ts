import type { VirtualService } from '@mizzen/config-api';
import { resolveHost, type Service } from '@mizzen/mesh-model';
import type { Analyzer } from '../analyzer';
import type { AnalysisContext } from '../context/context';
import { refOf } from '../context/names';
import type { Message } from '../message';
import { msg } from '../message-types';
import { type AnnotatedDestination, mirrorDestinations, routeDestinations } from './vs-destinations';

/**
 * Istio's `virtualservice.DestinationHostAnalyzer`: every route and mirror destination names a
 * service visible from the VirtualService's namespace (a registry service or a ServiceEntry host),
 * its port exists on that service, and a port is given when the service exposes several.
 */
export const destinationHostAnalyzer: Analyzer = {
  name: 'virtualservice.DestinationHostAnalyzer',
  description: 'Checks the destination hosts associated with each virtual service',
  codes: ['IST0101', 'IST0112'],
  analyze: (ctx) => ctx.virtualServices.flatMap((vs) => analyzeVirtualService(ctx, vs)),
};

function analyzeVirtualService(ctx: AnalysisContext, vs: VirtualService): Message[] {
  const check = (d: AnnotatedDestination, reftype: string): Message[] => {
    const service = ctx.findService(resolveHost(d.destination.host, vs.metadata.namespace), vs.metadata.namespace);
    if (!service) return [msg.referencedResourceNotFound(refOf(vs), reftype, d.destination.host, `${d.path}.host`)];
    return checkPorts(vs, d, service);
  };
  return [...routeDestinations(vs).flatMap((d) => check(d, 'host')), ...mirrorDestinations(vs).flatMap((d) => check(d, 'mirror host'))];
}

function checkPorts(vs: VirtualService, d: AnnotatedDestination, service: Service): Message[] {
  const port = d.destination.port?.number;
  if (port === undefined) {
    // Without a port the destination is ambiguous only when the service has several.
    if (service.ports.length <= 1) return [];
    const ports = service.ports.map((p) => p.number);
    return [msg.virtualServiceDestinationPortSelectorRequired(refOf(vs), d.destination.host, ports, d.path)];
  }
  if (service.ports.some((p) => p.number === port)) return [];
  return [msg.referencedResourceNotFound(refOf(vs), 'host:port', `${d.destination.host}:${port}`, `${d.path}.port.number`)];
}
