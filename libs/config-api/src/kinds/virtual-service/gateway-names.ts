import { checkFQDN, isDNS1123Label } from '../../common/checks/dns';
import type { Diagnostics } from '../../core/diagnostics';

/** The reserved gateway name meaning "all sidecars in the mesh". */
export const MESH_GATEWAY = 'mesh';

/**
 * Istio `validateGatewayNames`: `mesh`, a gateway name in the config's namespace, or
 * `namespace/name`. The legacy `name.namespace(.svc.cluster.local)` form is accepted with a warning.
 * https://istio.io/latest/docs/reference/config/networking/virtual-service/#VirtualService-gateways
 */
export function validateGatewayNames(d: Diagnostics, path: string, names: readonly string[] | undefined): void {
  (names ?? []).forEach((name, i) => {
    const at = `${path}[${i}]`;
    const slash = name.indexOf('/');
    if (slash < 0) {
      if (name.includes('.')) {
        const [gw, ns] = name.split('.');
        d.warn(at, `using legacy gateway name format ${JSON.stringify(name)}; prefer <namespace>/<name>: "${ns}/${gw}"`);
      }
      d.errorIf(at, checkFQDN(name));
      return;
    }
    const ns = name.slice(0, slash);
    const gw = name.slice(slash + 1);
    if (ns === '' || gw === '') d.error(at, 'config namespace and gateway name cannot be empty');
    else {
      if (!isDNS1123Label(ns)) d.error(at, `invalid value for namespace: ${JSON.stringify(ns)}`);
      if (!isDNS1123Label(gw)) d.error(at, `invalid value for gateway name: ${JSON.stringify(gw)}`);
    }
  });
}
