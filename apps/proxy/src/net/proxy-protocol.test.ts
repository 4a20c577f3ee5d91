import { describe, expect, it } from 'vitest';
import { parseProxyHeader } from '../testing/proxy-protocol-server';
import { proxyProtocolHeader } from './proxy-protocol';

const v4 = { remoteAddress: '192.0.2.1', remotePort: 56324, localAddress: '198.51.100.7', localPort: 443 };
const v6 = { remoteAddress: '2001:db8::1', remotePort: 1000, localAddress: '::1', localPort: 8080 };

describe('PROXY protocol header (HAProxy proxy-protocol.txt)', () => {
  it('v1: the text line for TCP4 (section 2.1 example)', () => {
    expect(proxyProtocolHeader(1, v4).toString('latin1')).toBe('PROXY TCP4 192.0.2.1 198.51.100.7 56324 443\r\n');
  });

  it('v1: TCP6, and IPv4-mapped IPv6 peers as TCP4', () => {
    expect(proxyProtocolHeader(1, v6).toString('latin1')).toBe('PROXY TCP6 2001:db8::1 ::1 1000 8080\r\n');
    expect(proxyProtocolHeader(1, { ...v4, remoteAddress: '::ffff:192.0.2.1', localAddress: '::ffff:198.51.100.7' }).toString('latin1')).toBe('PROXY TCP4 192.0.2.1 198.51.100.7 56324 443\r\n');
  });

  it('v1: UNKNOWN without addresses or with mixed families', () => {
    expect(proxyProtocolHeader(1, undefined).toString('latin1')).toBe('PROXY UNKNOWN\r\n');
    expect(proxyProtocolHeader(1, { ...v4, localAddress: '::1' }).toString('latin1')).toBe('PROXY UNKNOWN\r\n');
  });

  it('v2: signature, PROXY command, TCP over IPv4, 12 address bytes (section 2.2)', () => {
    const want = Buffer.concat([
      Buffer.from('0d0a0d0a000d0a515549540a', 'hex'),
      Buffer.from([0x21, 0x11, 0x00, 0x0c]),
      Buffer.from([192, 0, 2, 1, 198, 51, 100, 7]),
      Buffer.from([0xdc, 0x04, 0x01, 0xbb]),
    ]);
    expect(proxyProtocolHeader(2, v4).toString('hex')).toBe(want.toString('hex'));
  });

  it('v2: TCP over IPv6 (36 address bytes) parses back', () => {
    const h = proxyProtocolHeader(2, v6);
    expect(h.length).toBe(16 + 36);
    expect(parseProxyHeader(h)).toEqual({
      header: { version: 2, command: 'PROXY', family: 'TCP6', source: '2001:db8:0:0:0:0:0:1', destination: '0:0:0:0:0:0:0:1', sourcePort: 1000, destinationPort: 8080 },
      length: h.length,
    });
  });

  it('v2: the LOCAL command with no addresses', () => {
    expect(proxyProtocolHeader(2, undefined).toString('hex')).toBe('0d0a0d0a000d0a515549540a' + '20000000');
  });
});
