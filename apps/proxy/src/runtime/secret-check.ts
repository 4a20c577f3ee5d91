import type { ClusterConfig, CommonTlsConfig, ListenerConfig } from '../config/model';
import { allChains, secretRefs } from '../config/model';
import type { Translated } from '../config/resources';
import type { SecretStore } from '../tls/secret-store';

/**
 * Problems with SDS secrets of one TLS config, each prefixed with the field path. A secret the
 * control plane sends over ADS that has not arrived yet is not a problem: the proxy subscribes to
 * it and the listener warms until it arrives (see {@link secretCheck}); one that arrived as the
 * wrong kind is.
 */
export function tlsSecretProblems(tls: CommonTlsConfig | undefined, secrets: SecretStore): string[] {
  if (!tls) return [];
  return secretRefs(tls).flatMap((ref) => {
    if (ref.ads && !secrets.get(ref.name)) return [];
    const problem = secrets.problem(ref.name, ref.kind);
    return problem ? [`${ref.path}: ${problem}`] : [];
  });
}

export interface SecretCheck {
  /** The update is rejected (NACK). */
  error?: string;
  /** Logged; the update applies. */
  warnings: string[];
}

function clusterCheck(c: ClusterConfig, secrets: SecretStore): { errors: string[]; warnings: string[] } {
  const warnings = c.transportSocketMatches.flatMap((m, i) => {
    const p = tlsSecretProblems(m.transport.tls, secrets);
    return p.length ? [`transportSocketMatches[${i}] (${m.name}) is skipped, endpoints it matches take the next match: ${p.join('; ')}`] : [];
  });
  return { errors: tlsSecretProblems(c.transport.tls, secrets), warnings };
}

/**
 * SDS secrets a config refers to must exist when it is applied. Envoy would keep such a cluster or
 * listener warming on SDS; without a certificate agent nothing will ever serve `default`, so the
 * update is rejected (NACKed) naming the secret: a filter chain or a cluster transport_socket that
 * needs it. A transport_socket_matches entry that needs it (Istio's auto-mTLS `tlsMode-istio`) is
 * only skipped, with a warning: the destination still enforces its own mTLS mode.
 * With an agent the first certificate is in the store before xDS starts, so this never fires.
 *
 * Secrets with `sds_config: {ads: {}}` (gateway `credentialName`, `kubernetes://<name>`) follow
 * Envoy instead: they are subscribed to on the ADS stream once the config naming them is applied,
 * so a missing one is not an error. A listener naming one warms until it arrives, at most the
 * initial fetch timeout (then it serves and refuses TLS handshakes of that chain until the secret
 * arrives); a cluster naming one fails its TLS connections as connect failures until then.
 */
export function secretCheck<B>(resources: ReadonlyMap<string, Translated<B, ClusterConfig | ListenerConfig>>, kind: 'CDS' | 'LDS', secrets: SecretStore): SecretCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const [name, { value }] of resources) {
    const r =
      kind === 'CDS'
        ? clusterCheck(value as ClusterConfig, secrets)
        : { errors: allChains(value as ListenerConfig).flatMap((c) => tlsSecretProblems(c.tls, secrets).map((p) => `filter chain ${JSON.stringify(c.name)}: ${p}`)), warnings: [] };
    if (r.errors.length) errors.push(`${kind} ${JSON.stringify(name)}: ${[...new Set(r.errors)].join('; ')}`);
    for (const w of r.warnings) warnings.push(`${kind} ${JSON.stringify(name)}: ${w}`);
  }
  return { error: errors.length ? errors.join('\n') : undefined, warnings };
}
