import type { SanMatcher, StringMatcher } from '../config/model';
import { matchString } from '../routing/string-matcher';
import type { CertificateNames } from './certificate-names';

/** A DNS SAN `*.example.com` covers exactly one more label, as Envoy's DNS SAN matching. */
function dnsMatches(m: StringMatcher, san: string): boolean {
  if (matchString(m, san)) return true;
  if (m.kind !== 'exact' || !san.startsWith('*.')) return false;
  const want = m.value.toLowerCase();
  const dot = want.indexOf('.');
  return dot > 0 && want.slice(dot) === san.slice(1).toLowerCase();
}

function candidates(type: SanMatcher['type'], n: CertificateNames): string[] {
  switch (type) {
    case 'URI':
      return n.uris;
    case 'DNS':
      return n.dnsNames;
    case 'EMAIL':
      return n.emails;
    case 'IP_ADDRESS':
      return n.ipAddresses;
    case 'any':
      return [...n.dnsNames, ...n.uris, ...n.emails, ...n.ipAddresses];
  }
}

const describe = (m: SanMatcher): string => {
  const s = m.matcher.kind === 'regex' ? `regex ${m.matcher.regex.source}` : `${m.matcher.kind} "${m.matcher.value}"`;
  return m.type === 'any' ? s : `${m.type} ${s}`;
};

/**
 * Why a verified peer certificate fails the SAN matchers (any one matcher must match one SAN of
 * its type), or undefined when it passes. No matchers: any verified peer passes.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/tls/v3/common.proto#envoy-v3-api-field-extensions-transport-sockets-tls-v3-certificatevalidationcontext-match-typed-subject-alt-names
 */
export function sanMismatch(matchers: readonly SanMatcher[], names: CertificateNames): string | undefined {
  if (!matchers.length) return undefined;
  for (const m of matchers) {
    const dns = m.type === 'DNS' || m.type === 'any' ? names.dnsNames : [];
    if (candidates(m.type, names).some((v) => matchString(m.matcher, v)) || dns.some((v) => dnsMatches(m.matcher, v))) return undefined;
  }
  const all = [...names.uris, ...names.dnsNames, ...names.emails, ...names.ipAddresses];
  return `peer certificate SANs [${all.join(', ')}] match none of [${matchers.map(describe).join(', ')}]`;
}
