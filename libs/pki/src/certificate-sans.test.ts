import { X509Certificate } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateSans } from './certificate-sans';
import { x509 } from './provider';
import { openssl } from './testing/openssl';

let dir: string;

/** A self-signed certificate made by openssl with `extensions` (`-addext` values), as DER. */
async function opensslCert(name: string, extensions: string[]): Promise<Buffer> {
  const keyFile = path.join(dir, `${name}.key`);
  const certFile = path.join(dir, `${name}.pem`);
  const args = ['req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile, '-subj', `/CN=${name}`, '-days', '1'];
  for (const e of extensions) args.push('-addext', e);
  const r = await openssl(args);
  if (r.code !== 0) throw new Error(r.output);
  return new X509Certificate(await fs.readFile(certFile)).raw;
}

/** The same names as @peculiar/x509 reads them (the library this replaces on the workload side). */
function peculiarSans(der: Buffer) {
  const cert = new x509.X509Certificate(der);
  const ext = cert.extensions.find((e) => e.type === '2.5.29.17');
  const out = { uris: [] as string[], dnsNames: [] as string[], ipAddresses: [] as string[], emails: [] as string[] };
  if (!ext) return out;
  for (const n of new x509.SubjectAlternativeNameExtension(ext.rawData).names.items) {
    if (n.type === 'url') out.uris.push(n.value);
    else if (n.type === 'dns') out.dnsNames.push(n.value);
    else if (n.type === 'ip') out.ipAddresses.push(n.value);
    else if (n.type === 'email') out.emails.push(n.value);
  }
  return out;
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mizzen-sans-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('certificateSans', () => {
  it('reads every kind a workload matches on, in order, as @peculiar/x509 does', async () => {
    const der = await opensslCert('all', ['subjectAltName=URI:spiffe://cluster.local/ns/default/sa/reviews,DNS:reviews.default.svc,DNS:*.example.com,IP:10.1.2.3,email:ops@example.com,URI:spiffe://other/x']);
    const sans = certificateSans(der);
    expect(sans).toEqual({ uris: ['spiffe://cluster.local/ns/default/sa/reviews', 'spiffe://other/x'], dnsNames: ['reviews.default.svc', '*.example.com'], ipAddresses: ['10.1.2.3'], emails: ['ops@example.com'] });
    expect(sans).toEqual(peculiarSans(der));
  });

  it('prints IPv6 addresses in RFC 5952 form, as inet_ntop does', async () => {
    const der = await opensslCert('v6', ['subjectAltName=IP:2001:DB8:0:0:0:0:0:1,IP:::1,IP:fe80:0:0:1::,IP:::ffff:10.0.0.1']);
    expect(certificateSans(der)?.ipAddresses).toEqual(['2001:db8::1', '::1', 'fe80:0:0:1::', '::ffff:a00:1']);
  });

  it('keeps a URI holding ", URI:" as one name (the crafted case node’s subjectAltName text blurs)', async () => {
    const crafted = 'spiffe://cluster.local/ns/a/sa/b, URI:spiffe://cluster.local/ns/admin/sa/root';
    // openssl's -addext splits on commas, so the crafted URI goes through a config section.
    const conf = path.join(dir, 'crafted.cnf');
    await fs.writeFile(conf, `[req]\ndistinguished_name=dn\nx509_extensions=ext\n[dn]\n[ext]\nsubjectAltName=@alt\n[alt]\nURI.1=${crafted}\n`);
    const keyFile = path.join(dir, 'crafted2.key');
    const certFile = path.join(dir, 'crafted2.pem');
    const r = await openssl(['req', '-x509', '-new', '-config', conf, '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile, '-subj', '/CN=crafted', '-days', '1']);
    expect(r.code, r.output).toBe(0);
    const craftedDer = new X509Certificate(await fs.readFile(certFile)).raw;
    expect(certificateSans(craftedDer)?.uris).toEqual([crafted]);
    expect(certificateSans(craftedDer)).toEqual(peculiarSans(craftedDer));
  });

  it('gives empty lists for a certificate without the extension, undefined for bytes that are not one', async () => {
    const der = await opensslCert('nosan', []);
    expect(certificateSans(der)).toEqual({ uris: [], dnsNames: [], ipAddresses: [], emails: [] });
    expect(certificateSans(der.subarray(0, der.length - 10))).toBeUndefined();
    expect(certificateSans(Buffer.from('not a certificate'))).toBeUndefined();
    expect(certificateSans(Buffer.alloc(0))).toBeUndefined();
  });

  it('refuses a SAN extension whose iPAddress is neither 4 nor 16 octets', async () => {
    const der = Buffer.from(await opensslCert('ip', ['subjectAltName=IP:10.1.2.3']));
    // The iPAddress [7] of 4 octets (87 04 0a 01 02 03) becomes one of 2 octets plus an empty
    // dNSName (87 02 0a 01 82 00): same size, so every outer length still holds.
    const at = der.indexOf(Buffer.from([0x87, 0x04, 10, 1, 2, 3]));
    expect(at).toBeGreaterThan(0);
    der.set([0x87, 0x02, 10, 1, 0x82, 0x00], at);
    expect(certificateSans(der)).toBeUndefined();
  });
});
