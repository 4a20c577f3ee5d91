/**
 * Name checks as Istio's `pkg/config/labels` and `pkg/config/validation/agent` implement them.
 * Istio's DNS-1123 label accepts upper case (`[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?`, max 63);
 * Kubernetes object names are stricter (lower case), see {@link isK8sDNS1123Subdomain}.
 */

const LABEL = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
/** `*`, a label, or a label prefixed with `*` or `*-` (Istio's wildcardPrefix). */
const WILDCARD_LABEL = /^(?:\*|(?:\*|\*-)?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)$/;
const K8S_LABEL = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;

export function isDNS1123Label(s: string): boolean {
  return s.length <= 63 && LABEL.test(s);
}

export function isWildcardDNS1123Label(s: string): boolean {
  return s.length <= 63 && WILDCARD_LABEL.test(s);
}

/** Kubernetes `IsDNS1123Label` (namespaces; Gateway names): lower case, max 63. */
export function isK8sDNS1123Label(s: string): boolean {
  return s.length <= 63 && K8S_LABEL.test(s);
}

/** Kubernetes `IsDNS1123Subdomain` (most object names): lower-case labels joined by dots, max 253. */
export function isK8sDNS1123Subdomain(s: string): boolean {
  return s.length > 0 && s.length <= 253 && s.split('.').every((l) => K8S_LABEL.test(l));
}

/** Istio `IsDNS1123Subdomain`-style check used for label-key prefixes. */
export function isDNS1123Subdomain(s: string): boolean {
  return s.length > 0 && s.length <= 253 && s.split('.').every((l) => isDNS1123Label(l));
}

function preconditions(name: string): string | undefined {
  if (name.length > 255) return `domain name ${JSON.stringify(name)} too long (max 255)`;
  if (name.length === 0) return 'empty domain name not allowed';
  return undefined;
}

function dnsLabels(domain: string, whole: string): string | undefined {
  const parts = domain.split('.');
  const tld = parts[parts.length - 1];
  if (/^[+-]?\d+$/.test(tld)) return `domain name ${JSON.stringify(whole)} invalid (top level domain ${JSON.stringify(tld)} cannot be all-numeric)`;
  for (let i = 0; i < parts.length; i++) {
    // A trailing dot is allowed for unambiguous names like `istio.io.`.
    if (i === parts.length - 1 && parts[i] === '') return undefined;
    if (!isDNS1123Label(parts[i])) return `domain name ${JSON.stringify(whole)} invalid (label ${JSON.stringify(parts[i])} invalid)`;
  }
  return undefined;
}

/** Istio `ValidateFQDN`: dot-separated DNS labels (a single label, i.e. a short name, passes). */
export function checkFQDN(fqdn: string): string | undefined {
  return preconditions(fqdn) ?? dnsLabels(fqdn, fqdn);
}

/** Istio `ValidateWildcardDomain`: like {@link checkFQDN}, but the first label may be a wildcard. */
export function checkWildcardDomain(domain: string): string | undefined {
  const pre = preconditions(domain);
  if (pre) return pre;
  const dot = domain.indexOf('.');
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (!isWildcardDNS1123Label(first)) return `domain name ${JSON.stringify(domain)} invalid (label ${JSON.stringify(first)} invalid)`;
  return dot < 0 ? undefined : dnsLabels(domain.slice(dot + 1), domain);
}

/** Istio `ValidatePartialWildCard`: `*` may only be the whole host or a leading `*.` label. */
export function checkPartialWildcard(host: string): string | undefined {
  if (host.includes('*') && host !== '*' && !host.startsWith('*.')) return `partial wildcard ${JSON.stringify(host)} not allowed`;
  return undefined;
}
