import { TypeUrl } from '@mizzen/xds-types';
import { describe, expect, it } from 'vitest';
import { proxyConfigResource } from './proxy-config';

describe('PCDS ProxyConfig', () => {
  it('carries every root once, in a stable order, as an unnamed ProxyConfig', () => {
    const a = '-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----';
    const b = '-----BEGIN CERTIFICATE-----\nBBB\n-----END CERTIFICATE-----\n';
    expect(proxyConfigResource([b, a, `${a}\n`])).toEqual({ typeUrl: TypeUrl.ProxyConfig, name: '', body: { caCertificatesPem: [`${a}\n`, b] } });
    expect(proxyConfigResource([a, b])).toEqual(proxyConfigResource([b, a]));
  });
});
