import type * as xds from '@mizzen/xds-types';
import { TypeUrl } from '@mizzen/xds-types';
import { formatIssues, Issues } from '../config/translate/issues';
import { dataSource } from '../config/translate/transport-socket';
import { SecretStore } from '../tls/secret-store';
import type { TypeHandler } from '../xds-client';
import type { ProxyRuntime } from './proxy-runtime';

type Parsed = { name: string; kind: 'certificate'; chain: string; key: string } | { name: string; kind: 'validation'; ca: string };

/** One Secret resource: a certificate with its key, or a validation context's trusted CAs. */
function parseSecret(b: xds.Secret, issues: Issues): Parsed | undefined {
  if (!b.name) return void issues.error('name', 'is required');
  if (!!b.tlsCertificate === !!b.validationContext) return void issues.error('', 'exactly one of tlsCertificate, validationContext is supported');
  if (b.tlsCertificate) {
    const chain = dataSource(b.tlsCertificate.certificateChain, 'tlsCertificate.certificateChain', issues);
    const key = dataSource(b.tlsCertificate.privateKey, 'tlsCertificate.privateKey', issues);
    return chain !== undefined && key !== undefined ? { name: b.name, kind: 'certificate', chain, key } : undefined;
  }
  const ca = dataSource(b.validationContext?.trustedCa, 'validationContext.trustedCa', issues);
  return ca !== undefined ? { name: b.name, kind: 'validation', ca } : undefined;
}

/**
 * Envoy's SDS on the ADS stream (`sds_config: {ads: {}}`), for the names the proxy's listeners
 * and clusters reference (Istio's `kubernetes://<credentialName>` and `...-cacert`). A response is
 * validated whole first (PEM readable, key matching the certificate; a NACK names the resource and
 * field), then every secret goes into the {@link SecretStore} under its SDS name. Contexts compare
 * secret versions before each new handshake, so a rotated credential reaches new connections and
 * leaves open ones alone; warming listeners waiting for a secret are promoted (listener-manager).
 * As for any non-wildcard SotW type, a subscribed name missing from a response is not a deletion:
 * the proxy keeps the secret it has (Envoy keeps serving the last certificate). Nothing of the
 * material is logged or recorded in config_dump.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/security/secret
 */
export function sdsHandler(rt: ProxyRuntime): TypeHandler {
  return {
    apply: (res) => {
      rt.stats.counter('sds.update_attempt').inc();
      const errors: string[] = [];
      const parsed: Parsed[] = [];
      const scratch = new SecretStore();
      res.resources.forEach((r, i) => {
        if (r.typeUrl !== TypeUrl.Secret) return void errors.push(`resources[${i}]: type ${r.typeUrl} in an SDS response`);
        const body = r.body as unknown as xds.Secret;
        const issues = new Issues();
        const p = parseSecret(body, issues);
        const where = `SDS ${JSON.stringify(body.name ?? `resources[${i}]`)}`;
        if (!p) return void errors.push(`${where}: ${formatIssues(issues.errors)}`);
        try {
          // The store's own checks (chain parses, key matches the leaf), on a scratch store first.
          if (p.kind === 'certificate') scratch.setCertificate(p.name, p.chain, p.key);
          else scratch.setTrustBundle(p.name, [p.ca]);
          parsed.push(p);
        } catch (err) {
          errors.push(`${where}: ${(err as Error).message}`);
        }
      });
      if (errors.length) {
        rt.stats.counter('sds.update_rejected').inc();
        const error = errors.join('\n');
        rt.opts.log(`SDS update ${JSON.stringify(res.versionInfo)} rejected: ${error}`);
        return error;
      }
      for (const p of parsed) {
        if (p.kind === 'certificate') rt.secrets.setCertificate(p.name, p.chain, p.key);
        else rt.secrets.setTrustBundle(p.name, [p.ca]);
      }
      rt.stats.counter('sds.update_success').inc();
      rt.opts.log(`SDS ${JSON.stringify(res.versionInfo)}: ${parsed.map((p) => `${p.name} (${p.kind})`).join(', ') || 'no secrets'}`);
      return undefined;
    },
  };
}
