import { parseDuration } from '@mizzen/config-api';
import { Command } from 'commander';
import { hostname } from 'node:os';
import { loadMeshConfigFile, type MeshConfigOverrides } from './mesh-config/mesh-config-file';

export interface PilotOptions {
  natsUrl: string;
  /** Address the ADS gRPC server binds (Istio: 15010 plaintext). */
  grpcHost: string;
  grpcPort: number;
  /** Debug/monitoring HTTP (Istio: 15014). */
  debugPort: number;
  id: string;
  debounceQuietMs: number;
  debounceMaxMs: number;
  /** Max debounce of endpoint-only batches (pushed as incremental EDS). */
  edsDebounceMaxMs: number;
  /** Pushes in flight at most (Istio PILOT_PUSH_THROTTLE). */
  pushThrottle: number;
  heartbeatMs: number;
  outboundTrafficPolicy: 'ALLOW_ANY' | 'REGISTRY_ONLY';
  /** xDS over TLS with a Citadel-signed certificate (Istio: istiod's secure port); 0 = off. */
  secureGrpcPort: number;
  trustDomain: string;
  /** Citadel's control-plane namespace: Pilot's SPIFFE ID is `spiffe://<td>/ns/<ns>/sa/pilot`. */
  controlPlaneNamespace: string;
  /** How often Pilot refetches the JWKS it inlines (Istio PILOT_JWT_PUB_KEY_REFRESH_INTERVAL, 20m). */
  jwtPubKeyRefreshIntervalMs: number;
  /** Istio PILOT_JWT_ENABLE_REMOTE_JWKS: `istiod` (false, default) Pilot fetches; `envoy` (true) the proxy does. */
  jwksFetchMode: 'istiod' | 'envoy';
  /** Istio MeshConfig subset from `--mesh-config` (extensionProviders, ...); applied over the flags. */
  meshConfig: MeshConfigOverrides;
}

/** Flags, each with a MIZZEN_* environment fallback. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): PilotOptions {
  const cmd = new Command('pilot')
    .description('Mizzen Pilot: watches config and registry in NATS KV, serves Envoy xDS (ADS) over gRPC')
    .option('--nats <url>', 'NATS server URL', env.NATS_URL ?? 'nats://127.0.0.1:4222')
    .option('--grpc-host <host>', 'address to bind the xDS server', env.MIZZEN_PILOT_HOST ?? '127.0.0.1')
    .option('--grpc-port <port>', 'xDS gRPC port', env.MIZZEN_PILOT_GRPC_PORT ?? '15010')
    .option('--debug-port <port>', 'debug HTTP port', env.MIZZEN_PILOT_DEBUG_PORT ?? '15014')
    .option('--id <id>', 'this Pilot instance id', env.MIZZEN_PILOT_ID ?? `pilot-${hostname()}-${process.pid}`)
    .option('--debounce-quiet-ms <ms>', 'push debounce quiet period', env.MIZZEN_DEBOUNCE_QUIET_MS ?? '100')
    .option('--debounce-max-ms <ms>', 'push debounce max delay', env.MIZZEN_DEBOUNCE_MAX_MS ?? '10000')
    .option('--eds-debounce-max-ms <ms>', 'push debounce max delay for endpoint-only changes', env.MIZZEN_EDS_DEBOUNCE_MAX_MS ?? '500')
    .option('--push-throttle <n>', 'proxies with a push in flight at most', env.MIZZEN_PUSH_THROTTLE ?? '100')
    .option('--heartbeat-ms <ms>', 'registry heartbeat interval', env.MIZZEN_HEARTBEAT_MS ?? '5000')
    .option('--outbound-traffic-policy <mode>', 'ALLOW_ANY or REGISTRY_ONLY', env.MIZZEN_OUTBOUND_TRAFFIC_POLICY ?? 'ALLOW_ANY')
    .option('--secure-grpc-port <port>', 'xDS over TLS with a certificate from Citadel (0: off)', env.MIZZEN_PILOT_SECURE_GRPC_PORT ?? '0')
    .option('--trust-domain <domain>', 'SPIFFE trust domain', env.MIZZEN_TRUST_DOMAIN ?? 'cluster.local')
    .option('--control-plane-namespace <ns>', "the control plane's namespace (Citadel signs SPIFFE IDs there)", env.MIZZEN_CONTROL_PLANE_NAMESPACE ?? 'mizzen-system')
    .option('--jwt-pub-key-refresh-interval <duration>', 'how often Pilot refetches the JWKS of RequestAuthentications (Go duration)', env.PILOT_JWT_PUB_KEY_REFRESH_INTERVAL || '20m')
    .option('--jwt-enable-remote-jwks <mode>', 'false/istiod: Pilot fetches jwksUri and inlines the keys; true/envoy: the proxy fetches them', env.PILOT_JWT_ENABLE_REMOTE_JWKS || 'false')
    .option('--mesh-config <file>', "Istio MeshConfig YAML (the istio ConfigMap's mesh key): extensionProviders, outboundTrafficPolicy, trustDomain, rootNamespace", env.MIZZEN_MESH_CONFIG)
    .exitOverride();
  cmd.parse(argv, { from: 'user' });
  const o = cmd.opts<Record<string, string>>();
  const int = (name: string, v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name}: "${v}" is not a non-negative integer`);
    return n;
  };
  const policy = o.outboundTrafficPolicy;
  if (policy !== 'ALLOW_ANY' && policy !== 'REGISTRY_ONLY') throw new Error(`--outbound-traffic-policy: "${policy}" must be ALLOW_ANY or REGISTRY_ONLY`);
  const refresh = parseDuration(o.jwtPubKeyRefreshInterval);
  if (!refresh || refresh < 1) throw new Error(`--jwt-pub-key-refresh-interval: "${o.jwtPubKeyRefreshInterval}" is not a positive duration (e.g. 20m, 30s)`);
  // The mesh config file wins over the equivalent flags (as istiod reads MeshConfig over defaults).
  const meshConfig = o.meshConfig ? loadMeshConfigFile(o.meshConfig) : {};
  return {
    natsUrl: o.nats,
    grpcHost: o.grpcHost,
    grpcPort: int('grpc-port', o.grpcPort),
    debugPort: int('debug-port', o.debugPort),
    id: o.id,
    debounceQuietMs: int('debounce-quiet-ms', o.debounceQuietMs),
    debounceMaxMs: int('debounce-max-ms', o.debounceMaxMs),
    edsDebounceMaxMs: int('eds-debounce-max-ms', o.edsDebounceMaxMs),
    pushThrottle: Math.max(1, int('push-throttle', o.pushThrottle)),
    heartbeatMs: int('heartbeat-ms', o.heartbeatMs),
    outboundTrafficPolicy: meshConfig.outboundTrafficPolicy ?? policy,
    secureGrpcPort: int('secure-grpc-port', o.secureGrpcPort),
    trustDomain: meshConfig.trustDomain ?? o.trustDomain,
    controlPlaneNamespace: o.controlPlaneNamespace,
    jwtPubKeyRefreshIntervalMs: refresh,
    jwksFetchMode: jwksFetchMode(o.jwtEnableRemoteJwks),
    meshConfig,
  };
}

/**
 * Istio's PILOT_JWT_ENABLE_REMOTE_JWKS values: `false`/`istiod` and `true`/`envoy`. Istio's
 * `hybrid` (the proxy fetches when the jwksUri host is a mesh service, Pilot otherwise) is
 * refused rather than silently read as one of the two.
 */
function jwksFetchMode(v: string): 'istiod' | 'envoy' {
  const m = v.trim().toLowerCase();
  if (m === 'false' || m === 'istiod') return 'istiod';
  if (m === 'true' || m === 'envoy') return 'envoy';
  throw new Error(`--jwt-enable-remote-jwks: "${v}" must be false, istiod, true or envoy (hybrid is not supported)`);
}
