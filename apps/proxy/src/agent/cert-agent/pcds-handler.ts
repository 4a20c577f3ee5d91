import { X509Certificate } from 'node:crypto';
import { splitPemCertificates } from '@mizzen/pki/workload';
import { TypeUrl } from '@mizzen/xds-types';
import type { TypeHandler } from '../../xds-client';
import type { MeshTrust } from './mesh-trust';

/**
 * Istio's PCDS on the agent side (istio-agent's handler for
 * `type.googleapis.com/istio.mesh.v1alpha1.ProxyConfig`): every `caCertificatesPem` entry must be
 * one or more readable certificates, else the response is NACKed naming the entry and the trust
 * bundle stays as it was; otherwise the anchors join ROOTCA.
 */
export function pcdsHandler(trust: MeshTrust, log: (msg: string) => void): TypeHandler {
  return {
    apply: (res) => {
      const roots: string[] = [];
      for (const [i, r] of res.resources.entries()) {
        if (r.typeUrl !== TypeUrl.ProxyConfig) return `resources[${i}]: type ${r.typeUrl} in a PCDS response`;
        const pems = (r.body as { caCertificatesPem?: unknown }).caCertificatesPem ?? [];
        if (!Array.isArray(pems)) return `resources[${i}].caCertificatesPem: not a list`;
        for (const [j, pem] of pems.entries()) {
          const path = `resources[${i}].caCertificatesPem[${j}]`;
          const certs = typeof pem === 'string' ? splitPemCertificates(pem) : [];
          if (!certs.length) return `${path}: no PEM certificate`;
          try {
            for (const c of certs) if (!new X509Certificate(c).ca) return `${path}: not a CA certificate`;
          } catch (err) {
            return `${path}: unreadable certificate: ${(err as Error).message}`;
          }
          roots.push(...certs);
        }
      }
      trust.setConfigRoots(roots);
      // Pilot pushes PCDS only when the bundle changes: one line per rotation step.
      log(`PCDS ${JSON.stringify(res.versionInfo)}: ${roots.length} trust anchor(s) from Pilot added to ROOTCA`);
      return undefined;
    },
  };
}
