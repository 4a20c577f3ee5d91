import { describe, expect, it } from 'vitest';
import { parseFromFile, printSecretReply, secretsTable } from './secrets';

describe('meshctl secrets', () => {
  it("parses kubectl's --from-file=[key=]path", () => {
    expect(parseFromFile('tls.crt=/tmp/a.pem')).toEqual({ key: 'tls.crt', file: '/tmp/a.pem' });
    expect(parseFromFile('/tmp/ca.crt')).toEqual({ key: 'ca.crt', file: '/tmp/ca.crt' });
    expect(() => parseFromFile('tls.crt=')).toThrow('--from-file: "tls.crt=" is not [key=]path');
  });

  it('lists secrets with their keys and certificate summary only', () => {
    const lines = secretsTable([
      { namespace: 'istio-system', name: 'httpbin-credential', type: 'kubernetes.io/tls', dataKeys: ['tls.crt', 'tls.key'], summary: { subject: 'CN=httpbin.example.com', dnsNames: ['httpbin.example.com'], notAfter: '2030-01-01T00:00:00.000Z', caCertificates: 0 }, createdAt: '2029-01-01T00:00:00.000Z', updatedAt: '2029-01-01T00:00:00.000Z', source: 'api', revision: 3 },
      { namespace: 'istio-system', name: 'client-cacert', type: 'Opaque', dataKeys: ['ca.crt'], summary: { dnsNames: [], caCertificates: 1 }, createdAt: '2029-01-01T00:00:00.000Z', updatedAt: '2029-01-01T00:00:00.000Z', source: 'api', revision: 4 },
    ]);
    expect(lines[0]).toMatch(/^NAMESPACE\s+NAME\s+TYPE\s+DATA\s+CERTIFICATE\s+EXPIRES\s+REVISION$/);
    expect(lines[1]).toMatch(/^istio-system\s+httpbin-credential\s+kubernetes.io\/tls\s+tls.crt,tls.key\s+httpbin.example.com\s+2030-01-01T00:00:00.000Z\s+3$/);
    expect(lines[2]).toMatch(/client-cacert\s+Opaque\s+ca.crt\s+1 CA\s+4$/);
    expect(secretsTable([])).toEqual(['No resources found.']);
  });

  it('prints invalid credentials with field paths and exits 1', () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = printSecretReply({ accepted: false, outcome: 'invalid', namespace: 'ns', name: 'x', errors: [{ path: 'data["tls.key"]', message: 'the private key does not match the certificate in tls.crt' }] }, (s) => out.push(s), (s) => err.push(s));
    expect(code).toBe(1);
    expect(err).toEqual(['secret/x (namespace ns) is invalid:', '  * data["tls.key"]: the private key does not match the certificate in tls.crt']);
  });
});
