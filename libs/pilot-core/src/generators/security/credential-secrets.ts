import type { ProxyNode } from '@mizzen/mesh-model';
import { type Secret, TypeUrl, type XdsResource } from '@mizzen/xds-types';
import { type CredentialRef, parseCredentialResource, SDS_CA_SUFFIX } from './credential-sds';

/** A stored credential's PEM material (Mizzen's stand-in for a Kubernetes Secret). */
export interface CredentialMaterial {
  namespace: string;
  name: string;
  certChain?: string;
  privateKey?: string;
  caCert?: string;
}

/** Reads credentials by namespace and name. */
export interface CredentialLookup {
  get(namespace: string, name: string): CredentialMaterial | undefined;
}

/** What a proxy asked for and may not have, and what does not exist: logged, never an error on the stream. */
export interface CredentialSecretsResult {
  resources: XdsResource[];
  /** Resource names refused: not a gateway, or another namespace's secret (Istio's authorization). */
  denied: string[];
  /** Resource names with no matching secret (or one without the part asked for). */
  missing: string[];
}

const inline = (pem: string) => ({ inlineBytes: Buffer.from(pem, 'utf8').toString('base64') });

/** The body of one SDS resource, or undefined when the secret lacks that part (Istio `GetCertInfo` / `GetCaCert`). */
function secretBody(ref: CredentialRef, lookup: CredentialLookup): Secret | undefined {
  if (ref.caOnly) {
    // `<name>-cacert`: a secret of that name holding a CA first, else the CA of `<name>` (Istio's kube credentials controller).
    const own = lookup.get(ref.namespace, ref.name)?.caCert;
    const ca = own ?? lookup.get(ref.namespace, ref.name.slice(0, -SDS_CA_SUFFIX.length))?.caCert;
    return ca ? { name: ref.resourceName, validationContext: { trustedCa: inline(ca) } } : undefined;
  }
  const c = lookup.get(ref.namespace, ref.name);
  if (!c?.certChain || !c.privateKey) return undefined;
  return { name: ref.resourceName, tlsCertificate: { certificateChain: inline(c.certChain), privateKey: inline(c.privateKey) } };
}

/**
 * Istio's SecretGen (pilot/pkg/xds/sds.go) for `kubernetes://` resources: the requested names a
 * proxy may read, as SDS Secrets with inline PEM. Authorization follows Istio's
 * `filterAuthorizedResources`: only gateway proxies (`router`) whose xDS stream carries a verified
 * identity (`peerIdentity`, the client certificate on Pilot's mutual-TLS port) of the secret's
 * namespace, which must also be the namespace the node claims; anything else is left out of the
 * response (not an error: one bad reference must not break the others) and reported in `denied`.
 * Sorted by name for stable versions.
 */
export function credentialSecretResources(lookup: CredentialLookup, proxy: ProxyNode, names: readonly string[]): CredentialSecretsResult {
  const out: CredentialSecretsResult = { resources: [], denied: [], missing: [] };
  for (const n of [...new Set(names)].sort()) {
    const ref = parseCredentialResource(n, proxy.namespace);
    if (!ref) {
      out.missing.push(n);
      continue;
    }
    if (proxy.type !== 'router' || ref.namespace !== proxy.namespace || proxy.peerIdentity?.namespace !== ref.namespace) {
      out.denied.push(n);
      continue;
    }
    const body = secretBody(ref, lookup);
    if (body) out.resources.push({ typeUrl: TypeUrl.Secret, name: n, body });
    else out.missing.push(n);
  }
  return out;
}
