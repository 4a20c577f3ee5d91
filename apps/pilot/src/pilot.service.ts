import { isIP } from 'node:net';
import type { Server } from 'node:http';
import type { Bus, KvWatcher } from '@mizzen/bus';
import type { TrustBundle } from '@mizzen/contracts';
import { DEFAULT_MESH_CONFIG, DEFAULT_PUSH_QUEUE } from '@mizzen/pilot-core';
import { preloadProtos } from '@mizzen/xds-codec';
import { startDebugServer } from './debug/debug-server';
import { watchMeshKv } from './mesh-state/kv-source';
import { MeshState } from './mesh-state/mesh-state';
import type { PilotOptions } from './options';
import { Registration } from './registration/registration';
import { connectJwksResolver } from './security/jwks-feed';
import { fetchDocument } from './security/jwks-fetch';
import { JwksResolver } from './security/jwks-resolver';
import { busSignClient, ServingCertificate } from './security/serving-cert';
import { watchTrustBundle } from './security/trust-bundle-watch';
import { watchCredentials } from './security/credential-watch';
import { XdsService } from './xds/xds.service';

const realTimer = {
  now: () => performance.now(),
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * Pilot's runtime: KV -> MeshState -> (debounced) push over ADS; registration of connecting
 * workloads; debug HTTP. The gRPC server opens only after the initial KV sync, so a restarted
 * Pilot never serves a partial view.
 */
export class PilotService {
  readonly state: MeshState;
  readonly xds: XdsService;
  /** Key sets of RequestAuthentication `jwksUri`/issuers, inlined into jwt_authn (Istio's JwksResolver). */
  readonly jwks: JwksResolver;
  private registration?: Registration;
  private watchers: KvWatcher[] = [];
  private debug?: Server;
  private ready = false;
  grpcPort = 0;
  secureGrpcPort = 0;
  private servingCert?: ServingCertificate;
  /** SHA-256 of the active root in the last trust bundle seen. */
  private activeRoot?: string;

  constructor(
    private readonly opts: PilotOptions,
    private readonly bus: Bus,
    private readonly log: (msg: string) => void,
  ) {
    const mesh = { ...DEFAULT_MESH_CONFIG, outboundTrafficPolicy: opts.outboundTrafficPolicy, trustDomain: opts.trustDomain, jwksFetchMode: opts.jwksFetchMode, ...opts.meshConfig };
    this.state = new MeshState(mesh, { quietMs: opts.debounceQuietMs, maxMs: opts.debounceMaxMs, endpointMaxMs: opts.edsDebounceMaxMs }, realTimer, log);
    this.xds = new XdsService(this.state, opts.id, log, { ...DEFAULT_PUSH_QUEUE, maxInFlight: opts.pushThrottle });
    this.jwks = new JwksResolver({ refreshIntervalMs: opts.jwtPubKeyRefreshIntervalMs, fetch: fetchDocument, timer: realTimer, log });
    connectJwksResolver(this.state, this.jwks);
  }

  async start(): Promise<void> {
    preloadProtos(); // pay the proto load once at start, not on the first proxy's request
    this.debug = await startDebugServer(this.opts.grpcHost, this.opts.debugPort, {
      registry: this.xds.registry,
      pusher: this.xds.pusher,
      cache: this.xds.cache,
      generated: this.xds.generated,
      ready: () => this.ready,
      nacks: () => this.xds.nacks,
      snapshotInfo: () => ({ version: this.state.current().version, ...this.state.counts(), services: this.state.current().allServices().map((s) => s.hostname) }),
    });
    this.watchers = await watchMeshKv(this.bus, this.state);
    this.watchers.push(await watchTrustBundle(this.bus, (b) => this.onTrustBundle(b), this.log));
    // Gateway credentials (credentialName): kept beside the snapshot, a change pushes SDS only.
    const creds = this.xds.credentials;
    this.watchers.push(await watchCredentials(this.bus, { put: (s) => creds.put(s) && this.xds.credentialChanged(), delete: (ns, n) => creds.delete(ns, n) && this.xds.credentialChanged() }, this.log));
    this.state.rebuildNow();
    // Istio fetches key sets inside the first push; here the first fetches (5 s timeout) finish
    // before xDS opens, so a restarted Pilot never serves reject-all JWKS for keys it can fetch.
    if (await this.jwks.settled()) this.state.rebuildNow();
    this.jwks.start();
    this.registration = new Registration(
      { request: (c, p, timeoutMs) => this.bus.request(c, p, { timeoutMs }), publish: (c, e) => this.bus.publish(c, e) },
      this.opts.id,
      this.xds.registry,
      this.opts.heartbeatMs,
      this.log,
    );
    this.registration.start();
    this.grpcPort = await this.xds.server.listen(`${this.opts.grpcHost}:${this.opts.grpcPort}`);
    const secure = await this.listenSecure();
    this.ready = true;
    const c = this.state.counts();
    this.log(`pilot ready: xDS on ${this.opts.grpcHost}:${this.grpcPort}${secure}, debug on http://${this.opts.grpcHost}:${this.opts.debugPort}; ${c.configs} configs, ${c.services} services, ${c.workloads} workloads`);
  }

  /**
   * A new trust bundle from Citadel: its roots go to every proxy over PCDS; when the active root
   * changed (a rotation's activation), the serving certificate is re-issued under it at once, as
   * istiod regenerates its DNS certificate on a root change, so it never outlives its root's trust.
   */
  private onTrustBundle(b: TrustBundle): void {
    if (this.xds.setTrustRoots(b.roots.map((r) => r.pem))) this.log(`trust bundle: ${b.roots.map((r) => `${r.sha256.slice(0, 16)} (${r.state})`).join(', ')}; pushing PCDS`);
    const active = b.roots.find((r) => r.state === 'active')?.sha256;
    if (this.activeRoot && active && active !== this.activeRoot) void this.servingCert?.renewNow();
    this.activeRoot = active;
  }

  /** The TLS port, when configured: a Citadel-signed certificate that renews itself. */
  private async listenSecure(): Promise<string> {
    if (!this.opts.secureGrpcPort) return '';
    const o = this.opts;
    this.servingCert = new ServingCertificate(
      busSignClient(this.bus),
      { trustDomain: o.trustDomain, namespace: o.controlPlaneNamespace, serviceAccount: 'pilot', dnsNames: [`pilot.${o.controlPlaneNamespace}.svc`, 'localhost'], ipAddresses: isIP(o.grpcHost) && !['0.0.0.0', '::'].includes(o.grpcHost) ? [o.grpcHost] : [] },
      o.id,
      this.log,
    );
    await this.servingCert.start();
    this.secureGrpcPort = await this.xds.server.bind(`${o.grpcHost}:${o.secureGrpcPort}`, this.servingCert.credentials());
    return ` and ${o.grpcHost}:${this.secureGrpcPort} (TLS as ${this.servingCert.spiffeId})`;
  }

  async stop(): Promise<void> {
    this.ready = false;
    this.jwks.stop();
    this.servingCert?.stop();
    this.registration?.stop();
    this.state.stop();
    await Promise.allSettled(this.watchers.map((w) => w.stop()));
    await this.xds.server.close();
    await new Promise<void>((r) => (this.debug ? this.debug.close(() => r()) : r()));
  }
}
