import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { SecretApplyRequest, SecretSummary } from '@mizzen/contracts';
import type { FieldError } from '@mizzen/mesh-model';

/** Istio's key sets in a credential Secret: `tls.*` (kubernetes.io/tls and generic) or `cert`/`key`/`cacert`. */
const KEY_SETS = [
  { cert: 'tls.crt', key: 'tls.key', ca: 'ca.crt' },
  { cert: 'cert', key: 'key', ca: 'cacert' },
] as const;

/** The PEM material of a credential after validation, with what may be shown of it. */
export interface Credential {
  type: 'kubernetes.io/tls' | 'Opaque';
  dataKeys: string[];
  certChain?: string;
  privateKey?: string;
  caCert?: string;
  summary: SecretSummary;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

const dataPath = (k: string): string => `data[${JSON.stringify(k)}]`;

/** The certificates of a PEM bundle, each parsed; errors name the data key and the certificate index. */
function certificates(pem: string, path: string, errors: FieldError[]): X509Certificate[] {
  const blocks = pem.match(PEM_CERT) ?? [];
  if (!blocks.length) {
    errors.push({ path, message: 'no PEM certificate (-----BEGIN CERTIFICATE-----)' });
    return [];
  }
  const out: X509Certificate[] = [];
  blocks.forEach((b, i) => {
    try {
      out.push(new X509Certificate(b));
    } catch (err) {
      errors.push({ path: blocks.length > 1 ? `${path}[${i}]` : path, message: `not a readable certificate: ${(err as Error).message}` });
    }
  });
  return out;
}

function dnsNames(c: X509Certificate): string[] {
  return (c.subjectAltName ?? '')
    .split(', ')
    .filter((s) => s.startsWith('DNS:'))
    .map((s) => s.slice(4));
}

/**
 * Validates a `meshctl create secret` request the way istiod reads a credential Secret
 * (pilot/pkg/credentials/kube: `tls.crt`/`tls.key`/`ca.crt`, or `cert`/`key`/`cacert`), but up
 * front instead of when a gateway asks: every certificate must parse, the key must parse and match
 * the leaf certificate, the leaf must not have expired. Errors carry `data["<key>"]` paths and
 * never the material itself.
 */
export function parseCredential(req: Pick<SecretApplyRequest, 'type' | 'data'>, now = Date.now()): { ok: true; value: Credential } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const keys = Object.keys(req.data).sort();
  const set = req.type === 'tls' ? KEY_SETS[0] : (KEY_SETS.find((s) => keys.some((k) => k === s.cert || k === s.key || k === s.ca)) ?? KEY_SETS[0]);
  const known: string[] = [set.cert, set.key, set.ca];
  for (const k of keys) {
    if (!known.includes(k)) errors.push({ path: dataPath(k), message: `not a key Istio reads here; use ${known.join(', ')}${req.type === 'generic' ? ' (or the other set, not both)' : ''}` });
  }
  const certPem = req.data[set.cert];
  const keyPem = req.data[set.key];
  const caPem = req.data[set.ca];
  if (req.type === 'tls' && (!certPem || !keyPem)) {
    if (!certPem) errors.push({ path: dataPath(set.cert), message: 'a tls secret needs a certificate (--cert)' });
    if (!keyPem) errors.push({ path: dataPath(set.key), message: 'a tls secret needs a private key (--key)' });
  } else if (!!certPem !== !!keyPem) {
    errors.push({ path: dataPath(certPem ? set.key : set.cert), message: `${set.cert} and ${set.key} come together` });
  } else if (!certPem && !caPem) {
    errors.push({ path: 'data', message: `needs ${set.cert} and ${set.key}, or ${set.ca} (a CA-only secret)` });
  }
  const chain = certPem ? certificates(certPem, dataPath(set.cert), errors) : [];
  const leaf = chain[0];
  if (leaf && keyPem) {
    try {
      if (!leaf.checkPrivateKey(createPrivateKey(keyPem))) errors.push({ path: dataPath(set.key), message: `the private key does not match the certificate in ${set.cert}` });
    } catch (err) {
      errors.push({ path: dataPath(set.key), message: `not a readable private key: ${(err as Error).message.split('\n')[0]}` });
    }
  }
  if (leaf && Date.parse(leaf.validTo) <= now) errors.push({ path: dataPath(set.cert), message: `the certificate expired on ${new Date(Date.parse(leaf.validTo)).toISOString()}` });
  const cas = caPem ? certificates(caPem, dataPath(set.ca), errors) : [];
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      type: req.type === 'tls' ? 'kubernetes.io/tls' : 'Opaque',
      dataKeys: keys,
      certChain: chain.length ? chain.map((c) => c.toString()).join('') : undefined,
      privateKey: keyPem,
      caCert: cas.length ? cas.map((c) => c.toString()).join('') : undefined,
      summary: {
        subject: leaf?.subject.replace(/\n/g, ', '),
        dnsNames: leaf ? dnsNames(leaf) : [],
        notAfter: leaf ? new Date(Date.parse(leaf.validTo)).toISOString() : undefined,
        sha256: leaf?.fingerprint256.replace(/:/g, '').toLowerCase(),
        caCertificates: cas.length,
      },
    },
  };
}
