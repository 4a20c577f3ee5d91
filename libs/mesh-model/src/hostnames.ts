/** The mesh's DNS suffix, as Istio's default `cluster.local`. */
export const DEFAULT_DOMAIN_SUFFIX = 'cluster.local';

/**
 * Resolves a host as written in config to its fully qualified form, the way Istio does:
 * a short name (`reviews`) is qualified with the config's namespace
 * (`reviews.default.svc.cluster.local`); a name with dots, or a wildcard, is kept as written.
 * See https://istio.io/latest/docs/reference/config/networking/virtual-service/#VirtualService-hosts
 */
export function resolveHost(host: string, namespace: string, suffix = DEFAULT_DOMAIN_SUFFIX): string {
  if (host === '*' || host.includes('.')) return host;
  return `${host}.${namespace}.svc.${suffix}`;
}

/** The FQDN of a Kubernetes-style service. */
export function serviceFqdn(name: string, namespace: string, suffix = DEFAULT_DOMAIN_SUFFIX): string {
  return `${name}.${namespace}.svc.${suffix}`;
}

/**
 * The names by which clients in `clientNamespace` can address `fqdn` (without port), as Envoy
 * virtual host domains: `reviews`, `reviews.default`, `reviews.default.svc`, the FQDN.
 * Short forms exist only for `*.svc.<suffix>` hosts and only the short name within the same namespace.
 */
export function hostAliases(fqdn: string, clientNamespace: string, suffix = DEFAULT_DOMAIN_SUFFIX): string[] {
  const svcSuffix = `.svc.${suffix}`;
  if (!fqdn.endsWith(svcSuffix)) return [fqdn];
  const [name, ns] = fqdn.slice(0, -svcSuffix.length).split('.');
  if (!name || !ns) return [fqdn];
  const out = [fqdn, `${name}.${ns}.svc`, `${name}.${ns}`];
  if (ns === clientNamespace) out.push(name);
  return out;
}

/**
 * Istio host matching with wildcards: `*.example.com` matches `a.example.com`; `*` matches all.
 * Returns true if the two host patterns overlap.
 */
export function hostsOverlap(a: string, b: string): boolean {
  if (a === '*' || b === '*') return true;
  if (a.startsWith('*')) return b.endsWith(a.slice(1)) || (b.startsWith('*') && a.endsWith(b.slice(1)));
  if (b.startsWith('*')) return a.endsWith(b.slice(1));
  return a === b;
}
