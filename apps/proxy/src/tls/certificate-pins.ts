import { X509Certificate, createHash } from 'node:crypto';
import type { CertificatePins } from '../config/model';
import { hasPins } from '../config/model';

/**
 * Why a verified peer certificate fails the pins, or undefined when it passes: with
 * `verify_certificate_spki` and/or `verify_certificate_hash` set, the certificate's SPKI digest
 * must be in the first list or its own digest in the second (either suffices, as in Envoy).
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/transport_sockets/tls/v3/common.proto#envoy-v3-api-field-extensions-transport-sockets-tls-v3-certificatevalidationcontext-verify-certificate-hash
 */
export function pinMismatch(pins: CertificatePins, der: Buffer): string | undefined {
  if (!hasPins(pins)) return undefined;
  const hash = createHash('sha256').update(der).digest('hex');
  if (pins.hashes.includes(hash)) return undefined;
  if (pins.spki.length) {
    const spki = new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' });
    if (pins.spki.includes(createHash('sha256').update(spki).digest('base64'))) return undefined;
  }
  return `peer certificate (sha256 ${hash}) matches none of the pinned certificate hashes / SPKI digests`;
}
