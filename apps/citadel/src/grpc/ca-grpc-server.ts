import * as grpc from '@grpc/grpc-js';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { bearerToken } from '../auth/caller-auth';
import { CITADEL_CONFIG, type CitadelConfig } from '../platform/citadel-config';
import { Refusal, type RefusalCode } from '../workload-certs/refusal';
import { WorkloadCerts } from '../workload-certs/workload-certs.service';
import { type IstioCertificateRequest, type IstioCertificateResponse, loadCaService } from './ca-proto';
import { SERVING_CREDENTIALS, type ServingCredentials } from './serving-credentials';

const STATUS: Record<RefusalCode, grpc.status> = {
  unauthenticated: grpc.status.UNAUTHENTICATED,
  'permission-denied': grpc.status.PERMISSION_DENIED,
  'invalid-argument': grpc.status.INVALID_ARGUMENT,
  'failed-precondition': grpc.status.FAILED_PRECONDITION,
};

/**
 * The workload CSR endpoint: `istio.v1.auth.IstioCertificateService/CreateCertificate` on a plain
 * @grpc/grpc-js server this provider owns (like Pilot's ADS server), over TLS with Citadel's own
 * serving certificate unless `--grpc-tls=false`. Opens after the CA is loaded and the trust bundle
 * published; closes on shutdown.
 */
@Injectable()
export class CaGrpcServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CaGrpc');
  private server?: grpc.Server;
  /** The bound port (useful with `--grpc-port 0`). */
  port = 0;

  constructor(
    private readonly certs: WorkloadCerts,
    @Inject(CITADEL_CONFIG) private readonly config: CitadelConfig,
    @Inject(SERVING_CREDENTIALS) private readonly credentials: ServingCredentials,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.credentials.start?.();
    const server = new grpc.Server({ 'grpc.max_receive_message_length': 1024 * 1024 });
    server.addService(loadCaService().service, { CreateCertificate: this.createCertificate });
    this.server = server;
    const address = `${this.config.grpcHost.includes(':') ? `[${this.config.grpcHost}]` : this.config.grpcHost}:${this.config.grpcPort}`;
    this.port = await new Promise<number>((resolve, reject) => server.bindAsync(address, this.credentials.server(), (err, port) => (err ? reject(err) : resolve(port))));
    this.logger.log(`IstioCertificateService on ${this.config.grpcHost}:${this.port} (${this.credentials.describe})`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.credentials.stop?.();
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        s.forceShutdown();
        resolve();
      }, 2000);
      s.tryShutdown(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  private readonly createCertificate = (
    call: grpc.ServerUnaryCall<IstioCertificateRequest, IstioCertificateResponse>,
    callback: grpc.sendUnaryData<IstioCertificateResponse>,
  ): void => {
    const auth = call.metadata.get('authorization')[0];
    this.certs
      .createCertificate({
        csr: call.request.csr,
        validitySeconds: Number(call.request.validity_duration || 0),
        bearer: bearerToken(typeof auth === 'string' ? auth : auth?.toString('utf8')),
        peer: call.getPeer(),
      })
      .then(
        (chain) => callback(null, { cert_chain: chain }),
        (err: unknown) => {
          if (err instanceof Refusal) return callback({ code: STATUS[err.code], details: err.message });
          this.logger.error(`CreateCertificate failed: ${(err as Error).stack ?? String(err)}`);
          callback({ code: grpc.status.INTERNAL, details: 'internal error signing the certificate' });
        },
      );
  };
}
