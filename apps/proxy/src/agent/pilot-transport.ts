import fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { certificateNames } from '../tls/certificate-names';
import { ROOT_SECRET, type SecretStore, WORKLOAD_SECRET } from '../tls/secret-store';
import { type AdsConnector, grpcAdsConnector } from '../xds-client';
import type { AgentOptions } from './options';

/** Pilot's TLS: verified against ROOTCA (else `--ca-root-file`), its certificate must carry `san`. */
export interface PilotTlsMaterial {
  rootCerts: Buffer;
  /** Our workload certificate, presented when the agent has one (Pilot may ask for it). */
  certChain?: Buffer;
  privateKey?: Buffer;
  san: string;
}

/** gRPC channel credentials for Pilot; the SAN check replaces the host name check. */
export function pilotCredentials(m: PilotTlsMaterial): grpc.ChannelCredentials {
  return grpc.credentials.createSsl(m.rootCerts, m.privateKey ?? null, m.certChain ?? null, {
    checkServerIdentity: (_host, cert) => {
      const uris = certificateNames(cert.raw).uris;
      return uris.includes(m.san) ? undefined : new Error(`Pilot's certificate names ${JSON.stringify(uris)}, not ${m.san}`);
    },
  });
}

/**
 * The ADS connector to Pilot: plaintext, or TLS with the material of the moment. A channel is
 * made per material version: after a rotation of ROOTCA or `default`, the next stream (a
 * reconnect) uses a new channel, while the open stream carries on.
 */
export function pilotConnector(o: Pick<AgentOptions, 'pilot' | 'pilotTls' | 'caRootFile'>, secrets: SecretStore): { connect: AdsConnector; close(): void } {
  if (!o.pilotTls) return grpcAdsConnector(o.pilot);
  const san = o.pilotTls.san;
  let current: { stamp: string; transport: ReturnType<typeof grpcAdsConnector> } | undefined;
  let retired: Array<ReturnType<typeof grpcAdsConnector>> = [];
  const material = (): { stamp: string; m: PilotTlsMaterial } => {
    const roots = secrets.validation(ROOT_SECRET);
    const cert = secrets.certificate(WORKLOAD_SECRET);
    if (!roots && !o.caRootFile) throw new Error('no root to verify Pilot with (no ROOTCA from the agent, no --ca-root-file)');
    const rootCerts = roots ? Buffer.from(roots.trustedCa) : fs.readFileSync(o.caRootFile as string);
    const m: PilotTlsMaterial = { rootCerts, san, certChain: cert && Buffer.from(cert.certificateChain), privateKey: cert && Buffer.from(cert.privateKey) };
    return { stamp: `${roots?.version ?? 'file'}/${cert?.version ?? 0}`, m };
  };
  const connect: AdsConnector = (events) => {
    const { stamp, m } = material();
    if (current?.stamp !== stamp) {
      if (current) retired.push(current.transport);
      current = { stamp, transport: grpcAdsConnector(o.pilot, pilotCredentials(m)) };
    }
    // Streams of retired channels are over once a new stream is opened (one stream at a time).
    for (const r of retired) r.close();
    retired = [];
    return current.transport.connect(events);
  };
  return { connect, close: () => current?.transport.close() };
}
