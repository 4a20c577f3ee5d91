import { z } from 'zod';
import { zodParser } from '../contract';

/** Kubernetes object names: a DNS-1123 subdomain (Secrets), and a DNS-1123 label (namespaces). */
export const secretName = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'must be a lowercase DNS-1123 subdomain (like httpbin-credential)');
export const secretNamespace = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a lowercase DNS-1123 label (like istio-system)');

/** What may be shown of a stored secret: never key material. */
export const secretSummary = z.object({
  /** The leaf certificate's subject, SANs (DNS), expiry and SHA-256 fingerprint; absent for a CA-only secret. */
  subject: z.string().optional(),
  dnsNames: z.array(z.string()).default([]),
  notAfter: z.iso.datetime().optional(),
  sha256: z.string().optional(),
  /** Number of CA certificates (`ca.crt` / `cacert`). */
  caCertificates: z.number().int().nonnegative().default(0),
});
export type SecretSummary = z.infer<typeof secretSummary>;

/**
 * A credential as stored (Galley validated it): the PEM material Istio reads from a Kubernetes
 * Secret's `tls.crt`/`tls.key`/`ca.crt` (or `cert`/`key`/`cacert`), normalised. `certChain` and
 * `privateKey` come together; a secret may also hold only `caCert` (Istio's `<name>-cacert`).
 * The private key is stored in the clear, like a Secret in etcd without encryption at rest.
 */
export const storedSecret = z
  .object({
    name: secretName,
    namespace: secretNamespace,
    /** `kubernetes.io/tls` (meshctl create secret tls) or `Opaque` (generic). */
    type: z.enum(['kubernetes.io/tls', 'Opaque']),
    /** The data keys the user gave, as `kubectl get secret` lists them. */
    dataKeys: z.array(z.string()),
    certChain: z.string().optional(),
    privateKey: z.string().optional(),
    caCert: z.string().optional(),
    summary: secretSummary,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    /** Who wrote it: `api` (meshctl over NATS). */
    source: z.string(),
  })
  .refine((s) => !!s.certChain === !!s.privateKey, { message: 'certChain and privateKey come together', path: ['privateKey'] })
  .refine((s) => !!s.certChain || !!s.caCert, { message: 'a certificate and key, or a CA certificate, is required', path: ['certChain'] });
export type StoredSecret = z.infer<typeof storedSecret>;

/**
 * KV bucket `mizzen-secrets`: credentials for Gateway and DestinationRule `credentialName`, the
 * role Kubernetes Secrets play for istiod. Key `<namespace>/<name>`. Galley writes it (after
 * validating the PEM material); Pilot reads and watches it and serves the secrets over SDS to the
 * gateways of the same namespace. History 1: a replaced key is not kept in the bucket's history.
 */
export const SecretBucket = {
  name: 'mizzen-secrets',
  history: 1,
  key: (namespace: string, name: string) => `${namespace}/${name}`,
  parseKey(key: string): { namespace: string; name: string } | undefined {
    const [namespace, name, ...rest] = key.split('/');
    if (!namespace || !name || rest.length) return undefined;
    return { namespace, name };
  },
  value: zodParser(storedSecret),
} as const;
