import * as grpc from '@grpc/grpc-js';
import { loadCaService } from '../grpc/ca-proto';

export type CreateResult = { ok: true; chain: string[] } | { ok: false; code: grpc.status; details: string };

/** A real gRPC client of IstioCertificateService, as a proxy agent would call it. */
export class CaClient {
  private readonly client: grpc.Client;

  constructor(target: string) {
    const Service = loadCaService();
    this.client = new Service(target, grpc.credentials.createInsecure());
  }

  createCertificate(csr: string, opts: { token?: string; validitySeconds?: number } = {}): Promise<CreateResult> {
    const md = new grpc.Metadata();
    if (opts.token !== undefined) md.set('authorization', `Bearer ${opts.token}`);
    const req = { csr, validity_duration: String(opts.validitySeconds ?? 0), metadata: { fields: { WorkloadName: { stringValue: 'test' } } } };
    return new Promise((resolve) => {
      (this.client as unknown as Record<string, (...a: unknown[]) => void>).CreateCertificate(req, md, { deadline: Date.now() + 10_000 }, (err: grpc.ServiceError | null, res?: { cert_chain: string[] }) => {
        if (err) resolve({ ok: false, code: err.code, details: err.details });
        else resolve({ ok: true, chain: res?.cert_chain ?? [] });
      });
    });
  }

  close(): void {
    this.client.close();
  }
}
