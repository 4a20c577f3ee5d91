import { describe, expect, it } from 'vitest';
import { validateResource } from '../index';

const gateway = (protocol: string, tls: Record<string, unknown>) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: { name: 'gw' },
  spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 9443, name: 'tls', protocol }, hosts: ['echo.example.com'], tls }] },
});

describe('Gateway server TLS modes', () => {
  it('accepts a terminating TLS server (protocol TLS, SIMPLE with files) without warnings', () => {
    const r = validateResource(gateway('TLS', { mode: 'SIMPLE', serverCertificate: '/c.crt', privateKey: '/c.key' }), { defaultNamespace: 'default' });
    expect(r.ok && r.warnings).toEqual([]);
  });

  it('warns that ISTIO_MUTUAL gateway servers are not served', () => {
    for (const protocol of ['TLS', 'HTTPS']) {
      const r = validateResource(gateway(protocol, { mode: 'ISTIO_MUTUAL' }), { defaultNamespace: 'default' });
      expect(r.ok && r.warnings).toEqual([{ path: 'spec.servers[0].tls.mode', message: expect.stringContaining('ISTIO_MUTUAL is not implemented') }]);
    }
  });
});
