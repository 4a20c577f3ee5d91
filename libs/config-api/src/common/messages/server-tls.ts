import { z } from 'zod';
import type { ShapeOf } from '../../core/schema-shape';
import { stringList } from './primitives';

/**
 * Istio `ServerTLSSettings` (Gateway servers, Sidecar ingress listeners). `mode` defaults to
 * PASSTHROUGH, as the proto's zero value.
 * https://istio.io/latest/docs/reference/config/networking/gateway/#ServerTLSSettings
 */
export type ServerTLSMode = 'PASSTHROUGH' | 'SIMPLE' | 'MUTUAL' | 'AUTO_PASSTHROUGH' | 'ISTIO_MUTUAL' | 'OPTIONAL_MUTUAL';
export type TLSProtocolVersion = 'TLS_AUTO' | 'TLSV1_0' | 'TLSV1_1' | 'TLSV1_2' | 'TLSV1_3';

export interface TLSCertificate {
  serverCertificate?: string;
  privateKey?: string;
  caCertificates?: string;
}

export interface ServerTLSSettings {
  httpsRedirect?: boolean;
  mode?: ServerTLSMode;
  serverCertificate?: string;
  privateKey?: string;
  caCertificates?: string;
  caCrl?: string;
  credentialName?: string;
  credentialNames?: string[];
  caCertCredentialName?: string;
  tlsCertificates?: TLSCertificate[];
  subjectAltNames?: string[];
  verifyCertificateSpki?: string[];
  verifyCertificateHash?: string[];
  minProtocolVersion?: TLSProtocolVersion;
  maxProtocolVersion?: TLSProtocolVersion;
  cipherSuites?: string[];
}

const tlsVersion = z.enum(['TLS_AUTO', 'TLSV1_0', 'TLSV1_1', 'TLSV1_2', 'TLSV1_3']);

const tlsCertificateSchema: z.ZodType<TLSCertificate> = z.strictObject({
  serverCertificate: z.string().optional(),
  privateKey: z.string().optional(),
  caCertificates: z.string().optional(),
} satisfies ShapeOf<TLSCertificate>);

export const serverTLSSchema: z.ZodType<ServerTLSSettings> = z.strictObject({
  httpsRedirect: z.boolean().optional(),
  mode: z.enum(['PASSTHROUGH', 'SIMPLE', 'MUTUAL', 'AUTO_PASSTHROUGH', 'ISTIO_MUTUAL', 'OPTIONAL_MUTUAL']).optional(),
  serverCertificate: z.string().optional(),
  privateKey: z.string().optional(),
  caCertificates: z.string().optional(),
  caCrl: z.string().optional(),
  credentialName: z.string().optional(),
  credentialNames: z.array(z.string()).min(1).max(2).optional(),
  caCertCredentialName: z.string().optional(),
  tlsCertificates: z.array(tlsCertificateSchema).min(1).max(2).optional(),
  subjectAltNames: stringList.optional(),
  verifyCertificateSpki: stringList.optional(),
  verifyCertificateHash: stringList.optional(),
  minProtocolVersion: tlsVersion.optional(),
  maxProtocolVersion: tlsVersion.optional(),
  cipherSuites: stringList.optional(),
} satisfies ShapeOf<ServerTLSSettings>);
