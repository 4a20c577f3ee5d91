import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';

export interface CertFiles {
  cert: string;
  key: string;
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

/**
 * A throwaway CA and one server certificate per DNS name, made with openssl as in Istio's
 * "Secure Gateways" task (P-256 keys, one day). Returns the CA certificate path and the pairs.
 */
export function makeCerts(dir: string, names: readonly string[]): { ca: string; certs: Record<string, CertFiles> } {
  fs.mkdirSync(dir, { recursive: true });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/O=example Inc./CN=example.com'], dir);
  const certs: Record<string, CertFiles> = {};
  for (const name of names) {
    const base = name.replace(/[^a-z0-9.-]/gi, '_');
    openssl(['req', ...ec, '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/O=example organization/CN=${name}`], dir);
    fs.writeFileSync(path.join(dir, `${base}.ext`), `subjectAltName=DNS:${name}\n`);
    openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${base}.crt`, '-days', '1', '-extfile', `${base}.ext`], dir);
    certs[name] = { cert: path.join(dir, `${base}.crt`), key: path.join(dir, `${base}.key`) };
  }
  return { ca: path.join(dir, 'ca.crt'), certs };
}

export interface HttpsReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** CN of the certificate the server presented. */
  peerCn: string;
}

/** GET over TLS to `ip:port` with SNI `servername`, verifying the chain against `ca`. */
export function httpsGet(ip: string, port: number, servername: string, pathName: string, ca: string): Promise<HttpsReply> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: ip, port, path: pathName, servername, ca: fs.readFileSync(ca), headers: { host: servername }, agent: false, timeout: 10_000 }, (res) => {
      const peerCn = String((res.socket as TLSSocket).getPeerCertificate().subject?.CN ?? '');
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 0, headers, body, peerCn });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}
