import * as grpc from '@grpc/grpc-js';
import { loadCaService } from '../grpc/ca-proto';

export type CreateResult = { ok: true; chain: string[] } | { ok: false; code: grpc.status; details: string };

/**
 * A real gRPC client of IstioCertificateService, as a proxy agent would call it: over TLS verified
 * against `roots()` (read for every call, so a root rotation is followed), or plaintext without it.
 */
export class CaClient {
  private readonly clients: grpc.Client[] = [];

  constructor(
    private readonly target: string,
    private readonly roots?: () => string | Promise<string>,
  ) {}

  async createCertificate(csr: string, opts: { token?: string; validitySeconds?: number } = {}): Promise<CreateResult> {
    const Service = loadCaService();
    const creds = this.roots ? grpc.credentials.createSsl(Buffer.from(await this.roots())) : grpc.credentials.createInsecure();
    const client = new Service(this.target, creds);
    this.clients.push(client);
    const md = new grpc.Metadata();
    if (opts.token !== undefined) md.set('authorization', `Bearer ${opts.token}`);
    const req = { csr, validity_duration: String(opts.validitySeconds ?? 0), metadata: { fields: { WorkloadName: { stringValue: 'test' } } } };
    try {
      return await new Promise((resolve) => {
        (client as unknown as Record<string, (...a: unknown[]) => void>).CreateCertificate(req, md, { deadline: Date.now() + 10_000 }, (err: grpc.ServiceError | null, res?: { cert_chain: string[] }) => {
          if (err) resolve({ ok: false, code: err.code, details: err.details });
          else resolve({ ok: true, chain: res?.cert_chain ?? [] });
        });
      });
    } finally {
      client.close();
      this.clients.splice(this.clients.indexOf(client), 1);
    }
  }

  close(): void {
    for (const c of this.clients) c.close();
  }
}
