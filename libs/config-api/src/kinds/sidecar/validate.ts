import { checkFQDN } from '../../common/checks/dns';
import { validateSelectorLabels } from '../../common/checks/labels';
import { validateConnectionPool } from '../../common/validate/connection-pool';
import { validateDestination } from '../../common/validate/destination';
import type { Diagnostics } from '../../core/diagnostics';
import type { ConfigResource } from '../../core/types';
import { validateEgressListeners } from './egress';
import { validateIngressListeners } from './ingress';
import type { OutboundTrafficPolicy, SidecarSpec } from './types';

/**
 * Istio's `ValidateSidecar` webhook checks, with field paths.
 * https://istio.io/latest/docs/reference/config/networking/sidecar/
 */
export function validateSidecar(sc: ConfigResource<'Sidecar', SidecarSpec>, d: Diagnostics): void {
  const spec = sc.spec;
  if (spec.workloadSelector) validateSelectorLabels(d, 'spec.workloadSelector.labels', spec.workloadSelector.labels);
  if (!spec.egress?.length && !spec.ingress?.length && !spec.outboundTrafficPolicy && !spec.inboundConnectionPool) {
    d.error('spec', 'sidecar: empty configuration provided');
    return;
  }
  validateIngressListeners(d, 'spec.ingress', spec.ingress);
  validateConnectionPool(d, 'spec.inboundConnectionPool', spec.inboundConnectionPool);
  validateEgressListeners(d, 'spec.egress', sc.metadata.namespace, spec.egress);
  validateOutboundTrafficPolicy(d, 'spec.outboundTrafficPolicy', spec.outboundTrafficPolicy);
}

/** An egress proxy is only used with ALLOW_ANY and needs an FQDN host and a port. */
function validateOutboundTrafficPolicy(d: Diagnostics, path: string, tp: OutboundTrafficPolicy | undefined): void {
  const proxy = tp?.egressProxy;
  if (!proxy) return;
  if (tp.mode !== 'ALLOW_ANY') {
    d.error(`${path}.egressProxy`, 'sidecar: egressProxy must be set only with ALLOW_ANY outboundTrafficPolicy mode');
    return;
  }
  d.errorIf(`${path}.egressProxy.host`, checkFQDN(proxy.host));
  if (!proxy.port) d.error(`${path}.egressProxy.port`, 'sidecar: egressProxy port must be set');
  else validateDestination(d, `${path}.egressProxy`, proxy);
}
