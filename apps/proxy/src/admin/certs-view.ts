import type { CertAgentState } from '../agent/cert-agent/cert-agent';
import type { CertificateDetails, SecretStore } from '../tls/secret-store';

/** One certificate as Envoy's /certs prints it (CertificateDetails in admin/v3/certs.proto); `path` names the secret. */
function details(secret: string, d: CertificateDetails): object {
  return {
    path: secret,
    serial_number: d.serialNumber,
    subject: d.subject,
    issuer: d.issuer,
    subject_alt_names: [...d.uriSans.map((uri) => ({ uri })), ...d.dnsSans.map((dns) => ({ dns }))],
    valid_from: d.validFrom,
    expiration_time: d.expirationTime,
    days_until_expiration: String(d.daysUntilExpiration),
  };
}

/**
 * `GET /certs`: every secret in the store (Envoy's shape: `ca_cert` for trust bundles, `cert_chain`
 * for the leaf we present), plus the certificate agent's state. Keys are never shown.
 * https://www.envoyproxy.io/docs/envoy/latest/operations/admin#get--certs
 */
export function certsView(secrets: SecretStore, agent: CertAgentState | undefined): object {
  return {
    certificates: secrets.all().map((s) =>
      s.kind === 'certificate' ? { name: s.name, version: s.version, cert_chain: [details(s.name, s.leaf)] } : { name: s.name, version: s.version, ca_cert: s.roots.map((r) => details(s.name, r)) },
    ),
    ...(agent ? { agent } : {}),
  };
}
