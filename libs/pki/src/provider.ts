// @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs the Reflect metadata
// polyfill loaded first (STACK.md, Certificates). Every module of this library that touches
// @peculiar/x509 imports `x509` from here, so the order is guaranteed.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };
export const subtle: webcrypto.SubtleCrypto = webcrypto.subtle;

// WebCrypto types from Node (the repo compiles without the DOM lib).
export type CryptoKey = webcrypto.CryptoKey;
export type CryptoKeyPair = webcrypto.CryptoKeyPair;
export type EcdsaParams = webcrypto.EcdsaParams;
export type RsaHashedImportParams = webcrypto.RsaHashedImportParams;
export type EcKeyImportParams = webcrypto.EcKeyImportParams;
