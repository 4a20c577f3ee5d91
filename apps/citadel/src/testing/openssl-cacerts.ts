import fs from 'node:fs/promises';
import path from 'node:path';
import { openssl } from './openssl';

const ROOT_EXT = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign,digitalSignature\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n';
const INT_EXT = 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign,digitalSignature\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n';

async function run(dir: string, args: string[]): Promise<void> {
  const r = await openssl(args, dir);
  if (r.code !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.output}`);
}

/**
 * Istio's "plug in CA certificates" files made with the real openssl, as an operator would:
 * an RSA-4096 root and an RSA-2048 intermediate (`ca-cert.pem`, `ca-key.pem` in the traditional
 * `RSA PRIVATE KEY` form, `root-cert.pem`, `cert-chain.pem` = intermediate + root).
 */
export async function makeOpensslCacerts(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'int.ext'), INT_EXT);
  await run(dir, ['genrsa', '-traditional', '-out', 'root-key.tmp', '4096']);
  await fs.writeFile(path.join(dir, 'root.cnf'), `[req]\ndistinguished_name=dn\nx509_extensions=v3\n[dn]\n[v3]\n${ROOT_EXT}`);
  await run(dir, ['req', '-x509', '-new', '-key', 'root-key.tmp', '-sha256', '-days', '30', '-subj', '/O=Istio/CN=Root CA', '-config', 'root.cnf', '-out', 'root-cert.pem']);
  await run(dir, ['genrsa', '-traditional', '-out', 'ca-key.pem', '2048']);
  await run(dir, ['req', '-new', '-key', 'ca-key.pem', '-subj', '/O=Istio/CN=Intermediate CA/L=cluster1', '-out', 'ca.csr']);
  await run(dir, ['x509', '-req', '-in', 'ca.csr', '-CA', 'root-cert.pem', '-CAkey', 'root-key.tmp', '-CAcreateserial', '-days', '20', '-sha256', '-extfile', 'int.ext', '-out', 'ca-cert.pem']);
  const chain = (await fs.readFile(path.join(dir, 'ca-cert.pem'), 'utf8')) + (await fs.readFile(path.join(dir, 'root-cert.pem'), 'utf8'));
  await fs.writeFile(path.join(dir, 'cert-chain.pem'), chain);
  // The operator keeps the root key elsewhere: Citadel must not find it.
  for (const f of ['root-key.tmp', 'ca.csr', 'root.cnf', 'int.ext', 'root-cert.srl']) await fs.rm(path.join(dir, f), { force: true });
}
