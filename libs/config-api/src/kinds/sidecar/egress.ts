import { checkIPAddress, checkUnixAddress, UNIX_ADDRESS_PREFIX } from '../../common/checks/ip';
import { checkNamespacedHost } from '../../common/checks/namespaced-host';
import { checkPort, checkPortName } from '../../common/checks/ports';
import { checkProtocol } from '../../common/checks/protocol';
import type { Diagnostics } from '../../core/diagnostics';
import type { IstioEgressListener } from './types';

/**
 * Istio's Sidecar egress checks: at most one port-less catch-all listener and it comes last;
 * unique ports and unix sockets; port 0 only with a `unix://` bind (and DEFAULT/NONE capture);
 * hosts in `namespace/dnsName` form, duplicates warned.
 * https://istio.io/latest/docs/reference/config/networking/sidecar/#IstioEgressListener
 */
export function validateEgressListeners(d: Diagnostics, path: string, namespace: string, listeners: readonly IstioEgressListener[] | undefined): void {
  const ports = new Set<number>();
  const sockets = new Set<string>();
  let catchAll = false;
  const all = listeners ?? [];
  all.forEach((l, i) => {
    const at = `${path}[${i}]`;
    if (!l.port) {
      if (catchAll) d.error(`${at}.port`, 'sidecar: egress can have only one listener with empty port');
      else if (i !== all.length - 1) d.error(`${at}.port`, 'sidecar: the egress listener with empty port should be the last listener in the list');
      catchAll = true;
    } else {
      validateEgressPort(d, at, l);
      const bind = l.bind ?? '';
      const number = l.port.number ?? 0;
      if (number === 0) {
        if (sockets.has(bind)) d.error(`${at}.bind`, 'sidecar: unix domain socket values for listeners must be unique');
        sockets.add(bind);
      } else {
        if (ports.has(number)) d.error(`${at}.port.number`, 'sidecar: ports on IP bound listeners must be unique');
        ports.add(number);
      }
    }
    validateEgressHosts(d, `${at}.hosts`, namespace, l.hosts);
  });
}

function validateEgressPort(d: Diagnostics, at: string, l: IstioEgressListener): void {
  const port = l.port;
  if (!port) return;
  const bind = l.bind ?? '';
  if (port.targetPort !== undefined && port.targetPort > 0) d.error(`${at}.port.targetPort`, 'targetPort has no impact on Sidecars');
  if (port.name) d.errorIf(`${at}.port.name`, checkPortName(port.name));
  d.errorIf(`${at}.port.protocol`, checkProtocol(port.protocol));
  if ((port.number ?? 0) === 0) {
    if (!bind.startsWith(UNIX_ADDRESS_PREFIX)) d.error(`${at}.bind`, 'sidecar: ports with 0 value must have a unix domain socket bind address');
    else d.errorIf(`${at}.bind`, checkUnixAddress(bind.slice(UNIX_ADDRESS_PREFIX.length)));
    if (l.captureMode && l.captureMode !== 'DEFAULT' && l.captureMode !== 'NONE') d.error(`${at}.captureMode`, 'sidecar: captureMode must be DEFAULT/NONE for unix domain socket listeners');
  } else {
    d.errorIf(`${at}.port.number`, checkPort(port.number ?? 0));
    if (bind) d.errorIf(`${at}.bind`, checkIPAddress(bind));
  }
}

function validateEgressHosts(d: Diagnostics, path: string, namespace: string, hosts: readonly string[]): void {
  if (hosts.length === 0) {
    d.error(path, 'sidecar: egress listener must contain at least one host');
    return;
  }
  const byNamespace = new Map<string, Set<string>>();
  hosts.forEach((h, i) => {
    const at = `${path}[${i}]`;
    for (const msg of checkNamespacedHost(h, false)) d.error(at, msg);
    const slash = h.indexOf('/');
    if (slash < 0) return;
    const ns = h.slice(0, slash) === '.' ? namespace : h.slice(0, slash);
    const svc = h.slice(slash + 1);
    const seen = byNamespace.get(ns) ?? new Set<string>();
    if ((svc !== '*' && (seen.has(svc) || seen.has('*'))) || (svc === '*' && seen.size > 0)) d.warn(at, `duplicated egress host: ${h}`);
    seen.add(svc);
    byNamespace.set(ns, seen);
  });
  if (byNamespace.get('*')?.has('*') && byNamespace.size !== 1) d.warn(path, '`*/*` host selects all resources, no other hosts can be added');
}
