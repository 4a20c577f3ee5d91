/**
 * Istio `exportTo`: unset or `*` is every namespace, `.` the owner's own namespace, otherwise the
 * listed namespaces. https://istio.io/latest/docs/reference/config/networking/virtual-service/#VirtualService-export_to
 */
export function isVisible(exportTo: readonly string[] | undefined, ownerNamespace: string, clientNamespace: string): boolean {
  if (!exportTo || exportTo.length === 0) return true;
  return exportTo.some((e) => e === '*' || e === clientNamespace || (e === '.' && ownerNamespace === clientNamespace));
}

/**
 * The scopes a resource is exported to, as Istio's analyzers key them: `*` for every namespace,
 * else each namespace (`.` becoming the owner's namespace).
 */
export function exportScopes(exportTo: readonly string[] | undefined, ownerNamespace: string): string[] {
  if (!exportTo || exportTo.length === 0 || exportTo.includes('*')) return ['*'];
  return [...new Set(exportTo.map((e) => (e === '.' ? ownerNamespace : e)))].sort();
}
