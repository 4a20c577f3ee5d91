import { randomBytes } from 'node:crypto';

/**
 * A random positive serial number of 16 octets, hex (RFC 5280 4.1.2.2: positive, unique per CA,
 * at most 20 octets; CA/B Forum asks for 64+ bits of randomness). The top bit is cleared so the
 * DER INTEGER stays positive without a padding octet, and the first octet is non-zero so the
 * encoding is minimal.
 */
export function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = b[0] & 0x7f || 0x01;
  return b.toString('hex');
}
