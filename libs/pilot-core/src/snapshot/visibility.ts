/**
 * Istio `exportTo`: absent or `*` = every namespace; `.` = the config's own namespace;
 * otherwise the listed namespaces.
 * https://istio.io/latest/docs/reference/config/networking/virtual-service/#VirtualService-export_to
 */
export function isVisible(exportTo: readonly string[] | undefined, ownerNamespace: string, clientNamespace: string): boolean {
  if (!exportTo || exportTo.length === 0) return true;
  for (const e of exportTo) {
    if (e === '*') return true;
    if (e === '.' && ownerNamespace === clientNamespace) return true;
    if (e === clientNamespace) return true;
  }
  return false;
}
