import { describe, expect, it } from 'vitest';
import { DER_TAG, DerError, oid, oidText, readChildren, readElement, readWhole, tlv } from './der';
import { ipOctets, ipText } from './general-names';

describe('DER', () => {
  it('encodes short and long lengths and reads them back', () => {
    for (const n of [0, 1, 127, 128, 255, 256, 70_000]) {
      const el = tlv(DER_TAG.octetString, Buffer.alloc(n, 7));
      expect(el.subarray(0, 2)).toEqual(Buffer.from(n < 128 ? [0x04, n] : n < 256 ? [0x04, 0x81] : [0x04, 0x80 | (n < 65536 ? 2 : 3)]));
      expect(readWhole(el, DER_TAG.octetString).content.length).toBe(n);
    }
  });

  it('round-trips object identifiers, including multi-byte arcs', () => {
    for (const o of ['2.5.29.17', '1.2.840.113549.1.9.14', '1.2.840.10045.4.3.2', '2.999.3']) expect(oidText(readWhole(oid(o), DER_TAG.oid).content)).toBe(o);
    expect(oid('1.2.840.113549.1.1.11').toString('hex')).toBe('06092a864886f70d01010b');
  });

  it('reads children in order and refuses what DER forbids', () => {
    const seq = tlv(DER_TAG.sequence, tlv(DER_TAG.integer, Buffer.of(1)), tlv(DER_TAG.null));
    expect(readChildren(readWhole(seq, DER_TAG.sequence).content).map((e) => e.tag)).toEqual([DER_TAG.integer, DER_TAG.null]);
    expect(() => readElement(Buffer.from([0x30, 0x80, 0x00, 0x00]), 0)).toThrow(/indefinite/);
    expect(() => readElement(Buffer.from([0x30, 0x05, 0x01]), 0)).toThrow(DerError);
    expect(() => readElement(Buffer.from([0x1f, 0x81, 0x00]), 0)).toThrow(/multi-byte/);
    expect(() => readWhole(Buffer.concat([seq, Buffer.of(0)]), DER_TAG.sequence)).toThrow(/trailing/);
    expect(() => readWhole(seq, DER_TAG.set)).toThrow(/expected tag/);
  });
});

describe('IP addresses in SANs', () => {
  it('converts literals to octets and back', () => {
    expect(ipOctets('10.1.2.3')).toEqual(Buffer.from([10, 1, 2, 3]));
    expect(ipOctets('::1')?.toString('hex')).toBe('00000000000000000000000000000001');
    expect(ipOctets('2001:db8::8:800:200c:417a')?.toString('hex')).toBe('20010db80000000000080800200c417a');
    expect(ipOctets('::ffff:10.0.0.1')?.toString('hex')).toBe('00000000000000000000ffff0a000001');
    expect(ipOctets('fe80::')?.toString('hex')).toBe('fe800000000000000000000000000000');
    for (const bad of ['10.1.2', 'reviews', 'fe80::1%eth0', '1::2::3']) expect(ipOctets(bad)).toBeUndefined();
    for (const ip of ['10.1.2.3', '::1', '2001:db8::8:800:200c:417a', 'fe80::', '1:2:3:4:5:6:7:8']) expect(ipText(ipOctets(ip) as Buffer)).toBe(ip);
    expect(ipText(Buffer.alloc(5))).toBeUndefined();
  });
});
