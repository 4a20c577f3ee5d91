import path from 'node:path';
import { isValidTrustDomain, type KeyAlgorithmName } from '@mizzen/pki';
import { parseDuration } from './duration';

export type CitadelLogLevel = 'debug' | 'info' | 'warn' | 'error';
export type AuthMode = 'local' | 'kubernetes';

/** Where and how Citadel reaches the Kubernetes API for TokenReview. */
export interface KubeAuthConfig {
  /** `https://10.96.0.1:443`; in a pod, from KUBERNETES_SERVICE_HOST/PORT. */
  apiUrl: string;
  /** Citadel's own service-account token (it needs `create tokenreviews`). */
  tokenFile?: string;
  /** CA bundle of the API server. */
  caFile?: string;
  /** Audiences the workload token must carry (Istio: `istio-ca`); empty = the API server's default. */
  audiences: string[];
}

/** Everything Citadel reads from its command line and environment, parsed once in main. */
export interface CitadelConfig {
  natsUrl: string;
  /** CA material: created here on first start, or Istio `cacerts` files plugged in (absolute). */
  caDir: string;
  trustDomain: string;
  grpcHost: string;
  grpcPort: number;
  /** Serve the CSR endpoint over TLS with a certificate from Citadel's own CA (default). */
  grpcTls: boolean;
  workloadCertTtlMs: number;
  maxWorkloadCertTtlMs: number;
  rootCertTtlMs: number;
  rootGracePeriodMs: number;
  /** How long a new root is announced (trusted, not signing) before it signs. */
  rootActivationDelayMs: number;
  caKeyAlgorithm: KeyAlgorithmName;
  rotateRoot: boolean;
  auth: AuthMode[];
  kube?: KubeAuthConfig;
  tokenTtlMs: number;
  maxTokenTtlMs: number;
  /** Namespace whose SPIFFE IDs control-plane peers may get over NATS. */
  controlPlaneNamespace: string;
  logLevel: CitadelLogLevel;
}

export const CITADEL_CONFIG = Symbol('citadel:config');

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
const SA_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';
const SA_CA = '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt';

interface FlagSpec {
  env?: string;
  default?: string;
  boolean?: true;
  help: string;
}

/** Every flag, its environment fallback and default; `--help` prints this table. */
export const FLAGS: Record<string, FlagSpec> = {
  nats: { env: 'NATS_URL', default: DEFAULT_NATS_URL, help: 'NATS server URL(s), comma separated' },
  'ca-dir': { env: 'CITADEL_CA_DIR', default: '.mizzen/citadel', help: 'CA directory (self-signed state, or Istio cacerts files)' },
  'trust-domain': { env: 'TRUST_DOMAIN', default: 'cluster.local', help: 'SPIFFE trust domain' },
  'grpc-host': { env: 'CITADEL_GRPC_HOST', default: '127.0.0.1', help: 'address of the CSR gRPC server' },
  'grpc-port': { env: 'CITADEL_GRPC_PORT', default: '15012', help: 'port of the CSR gRPC server (0 = any)' },
  'grpc-tls': { env: 'CITADEL_GRPC_TLS', boolean: true, default: 'true', help: 'serve the CSR endpoint over TLS with a certificate from the mesh CA (--grpc-tls=false: plaintext)' },
  'workload-cert-ttl': { default: '24h', help: 'default workload certificate lifetime' },
  'max-workload-cert-ttl': { default: '90d', help: 'longest lifetime a CSR may ask for' },
  'root-cert-ttl': { default: '3650d', help: 'lifetime of a self-signed root (and its intermediate)' },
  'root-grace-period': { default: '48h', help: 'how long a rotated-out root stays trusted' },
  'root-activation-delay': { default: '1m', help: 'how long a new root is trusted before it signs (time for Pilot to push it to every proxy); 0s = at once' },
  'ca-key-algorithm': { default: 'ecdsa-p256', help: 'key of generated CAs: ecdsa-p256 or rsa-2048' },
  'rotate-root': { boolean: true, help: 'rotate the self-signed root at start' },
  auth: { env: 'CITADEL_AUTH', default: 'local', help: 'caller authentication: local, kubernetes, or local,kubernetes' },
  'kube-api': { help: 'Kubernetes API URL for TokenReview (default from KUBERNETES_SERVICE_HOST/PORT)' },
  'kube-token-file': { help: `Citadel's service-account token (default ${SA_TOKEN} when present)` },
  'kube-ca-file': { help: `Kubernetes API CA bundle (default ${SA_CA} when present)` },
  'token-audience': { default: 'istio-ca', help: 'audience(s) a Kubernetes token must carry, comma separated; "" for none' },
  'token-ttl': { default: '24h', help: 'default lifetime of bootstrap tokens' },
  'max-token-ttl': { default: '7d', help: 'longest bootstrap token lifetime a request may ask for' },
  'control-plane-namespace': { default: 'mizzen-system', help: 'namespace of control-plane SPIFFE IDs signable over NATS' },
  'log-level': { env: 'CITADEL_LOG_LEVEL', default: 'info', help: 'debug, info, warn or error' },
};

export interface ConfigError {
  path: string;
  message: string;
}

export type ConfigResult = { ok: true; value: CitadelConfig } | { ok: false; errors: ConfigError[] };

/** Splits `--flag value`, `--flag=value` and boolean `--flag`; reports unknown and valueless flags. */
function readFlags(argv: readonly string[], errors: ConfigError[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      errors.push({ path: arg, message: 'unexpected argument' });
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const spec = FLAGS[name];
    if (!spec) {
      errors.push({ path: `--${name}`, message: 'unknown flag (see --help)' });
      continue;
    }
    if (spec.boolean) {
      flags.set(name, eq > 0 ? arg.slice(eq + 1) : 'true');
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) {
      errors.push({ path: `--${name}`, message: 'needs a value' });
      if (value !== undefined) i--;
      continue;
    }
    flags.set(name, value);
  }
  return flags;
}

/**
 * Parses Citadel's flags (each also `--flag=value`), falling back to the environment and defaults.
 * Every problem is reported with the flag as its path.
 */
export function parseCitadelConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd: string): ConfigResult {
  const errors: ConfigError[] = [];
  const flags = readFlags(argv, errors);
  const get = (name: string): string | undefined => {
    const spec = FLAGS[name];
    return flags.get(name) ?? (spec.env ? env[spec.env] : undefined) ?? spec.default;
  };
  /** A positive duration; `allowZero` also takes `0`/`0s` (= at once). */
  const duration = (name: string, allowZero = false): number => {
    const raw = get(name) ?? '';
    const ms = allowZero && /^0+(ms|s|m|h|d)?$/.test(raw.trim()) ? 0 : parseDuration(raw);
    if (ms === undefined) errors.push({ path: `--${name}`, message: `"${raw}" is not a duration (like 24h, 90m, 30s, 7d)` });
    return ms ?? 0;
  };
  const natsUrl = get('nats') ?? DEFAULT_NATS_URL;
  for (const u of natsUrl.split(',')) {
    if (!/^(nats|tls|ws|wss):\/\/[^\s/]+$/.test(u.trim()) && !/^[^\s:/]+:\d+$/.test(u.trim())) errors.push({ path: '--nats', message: `"${u}" is not a NATS URL` });
  }
  const trustDomain = get('trust-domain') ?? '';
  if (!isValidTrustDomain(trustDomain)) errors.push({ path: '--trust-domain', message: `"${trustDomain}" is not a SPIFFE trust domain (a-z 0-9 . _ -)` });
  const portRaw = get('grpc-port') ?? '';
  const grpcPort = Number(portRaw);
  if (!/^\d+$/.test(portRaw) || grpcPort > 65535) errors.push({ path: '--grpc-port', message: `"${portRaw}" is not a port` });
  const alg = (get('ca-key-algorithm') ?? '').toLowerCase();
  if (alg !== 'ecdsa-p256' && alg !== 'rsa-2048') errors.push({ path: '--ca-key-algorithm', message: 'must be ecdsa-p256 or rsa-2048' });
  const auth = (get('auth') ?? '').split(',').map((s) => s.trim());
  if (!auth.length || auth.some((a) => a !== 'local' && a !== 'kubernetes')) errors.push({ path: '--auth', message: 'must be local, kubernetes, or both comma separated' });
  const rotateRaw = get('rotate-root') ?? 'false';
  const tlsRaw = get('grpc-tls') ?? 'true';
  if (tlsRaw !== 'true' && tlsRaw !== 'false') errors.push({ path: '--grpc-tls', message: 'takes no value (or =true/=false)' });
  if (rotateRaw !== 'true' && rotateRaw !== 'false') errors.push({ path: '--rotate-root', message: 'takes no value (or =true/=false)' });
  const logLevel = (get('log-level') ?? '').toLowerCase();
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) errors.push({ path: '--log-level', message: 'must be one of debug, info, warn, error' });
  const value: CitadelConfig = {
    natsUrl,
    caDir: path.resolve(cwd, get('ca-dir') ?? ''),
    trustDomain,
    grpcHost: get('grpc-host') ?? '127.0.0.1',
    grpcPort,
    workloadCertTtlMs: duration('workload-cert-ttl'),
    maxWorkloadCertTtlMs: duration('max-workload-cert-ttl'),
    rootCertTtlMs: duration('root-cert-ttl'),
    rootGracePeriodMs: duration('root-grace-period'),
    rootActivationDelayMs: duration('root-activation-delay', true),
    caKeyAlgorithm: alg === 'rsa-2048' ? 'RSA-2048' : 'ECDSA-P256',
    rotateRoot: rotateRaw === 'true',
    grpcTls: tlsRaw !== 'false',
    auth: [...new Set(auth)] as AuthMode[],
    tokenTtlMs: duration('token-ttl'),
    maxTokenTtlMs: duration('max-token-ttl'),
    controlPlaneNamespace: get('control-plane-namespace') ?? 'mizzen-system',
    logLevel: logLevel as CitadelLogLevel,
  };
  if (value.workloadCertTtlMs > value.maxWorkloadCertTtlMs) errors.push({ path: '--workload-cert-ttl', message: 'longer than --max-workload-cert-ttl' });
  if (value.tokenTtlMs > value.maxTokenTtlMs) errors.push({ path: '--token-ttl', message: 'longer than --max-token-ttl' });
  if (value.auth.includes('kubernetes')) value.kube = kubeConfig(flags, env, cwd, errors, get('token-audience') ?? '');
  return errors.length ? { ok: false, errors } : { ok: true, value };
}

function kubeConfig(flags: Map<string, string>, env: Readonly<Record<string, string | undefined>>, cwd: string, errors: ConfigError[], audience: string): KubeAuthConfig | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const inCluster = host ? `https://${host.includes(':') ? `[${host}]` : host}:${env.KUBERNETES_SERVICE_PORT ?? '443'}` : undefined;
  const apiUrl = flags.get('kube-api') ?? inCluster;
  if (!apiUrl || !/^https?:\/\/[^\s/]+\/?$/.test(apiUrl)) {
    errors.push({ path: '--kube-api', message: apiUrl ? `"${apiUrl}" is not an http(s) base URL` : 'needed with --auth kubernetes outside a pod' });
    return undefined;
  }
  const file = (name: string, inClusterPath: string): string | undefined => {
    const f = flags.get(name);
    return f ? path.resolve(cwd, f) : inCluster ? inClusterPath : undefined;
  };
  return {
    apiUrl: apiUrl.replace(/\/$/, ''),
    tokenFile: file('kube-token-file', SA_TOKEN),
    caFile: file('kube-ca-file', SA_CA),
    audiences: audience.split(',').map((s) => s.trim()).filter(Boolean),
  };
}

export function usage(): string {
  const lines = Object.entries(FLAGS).map(([name, s]) => {
    const def = s.default !== undefined ? ` (default ${s.default || '""'})` : '';
    const env = s.env ? ` [$${s.env}]` : '';
    return `  --${name}${s.boolean ? '' : ' <value>'}\n      ${s.help}${def}${env}`;
  });
  return `Usage: node apps/citadel/dist/main.js [flags]\n\nMizzen Citadel: the mesh CA (Istio CreateCertificate over gRPC, sign/token/rotate over NATS)\n\n${lines.join('\n')}\n`;
}
