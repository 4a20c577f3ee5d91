import { type FieldError, type InboundPort, type InterceptionMode, type Locality, type Result, fail, ok, protocolFromPortName } from '@mizzen/mesh-model';
import { isValidTrustDomain } from '@mizzen/pki/workload';
import { isIP } from 'node:net';
import { parseDurationMs } from './cert-agent/renewal';
import { type AppProbers, parseAppProbers } from './status/app-probers';

/** The certificate agent's settings; present only with `--ca-addr`. */
export interface CaOptions {
  /** Citadel's `host:port` (Istio's CA_ADDR). */
  addr: string;
  tokenFile: string;
  /** PEM root the CA's serving certificate is verified against: TLS to the CA when set. */
  rootFile?: string;
  /** Requested certificate lifetime. */
  certTtlMs: number;
}

/** Pilot over TLS: its certificate is verified against ROOTCA (or `--ca-root-file`) and must carry `san`. */
export interface PilotTlsOptions {
  san: string;
}

/** Validated agent settings (from flags, or MIZZEN_* environment variables). */
export interface AgentOptions {
  type: 'sidecar' | 'router';
  /** The workload's own address: every socket the proxy binds uses it. */
  ip: string;
  namespace: string;
  workload: string;
  service?: string;
  serviceAccount: string;
  labels: Record<string, string>;
  inbound: InboundPort[];
  locality?: Locality;
  /** `host:port` of Pilot's ADS server. */
  pilot: string;
  adminPort: number;
  accessLog: boolean;
  /** SPIFFE trust domain of the workload identity (default `cluster.local`). */
  trustDomain: string;
  ca?: CaOptions;
  /** PEM root file (`--ca-root-file`): verifies Citadel's TLS, and Pilot's when there is no agent. */
  caRootFile?: string;
  pilotTls?: PilotTlsOptions;
  /**
   * Envoy's `--concurrency`: 1 (default) runs everything in this process; N > 1 forks N worker
   * processes that serve the listeners while this one stays the agent (xDS, certificates, admin).
   */
  concurrency: number;
  /** Rewritten application probes (Istio's ISTIO_KUBE_APP_PROBERS). */
  appProbers: AppProbers;
  /** The agent's status port (Istio 15020); 0 = off. On by default only when there are probers. */
  statusPort: number;
  /**
   * How outbound traffic reaches this sidecar, sent as node metadata INTERCEPTION_MODE. NONE
   * (default): applications connect to the sidecar's address. TPROXY: the network namespace
   * delivers connections for other addresses to the proxy's wildcard listeners with their
   * original destination as the local address (see docs/architecture.md, capture modes).
   */
  interceptionMode: InterceptionMode;
}

/** Raw string values as commander hands them over. */
export interface RawAgentOptions {
  type?: string;
  ip?: string;
  namespace?: string;
  workload?: string;
  service?: string;
  serviceAccount?: string;
  labels?: string;
  inbound?: string[];
  locality?: string;
  pilot?: string;
  adminPort?: string;
  accessLog?: string;
  caAddr?: string;
  caTokenFile?: string;
  caRootFile?: string;
  trustDomain?: string;
  certTtl?: string;
  pilotTls?: boolean | string;
  pilotSan?: string;
  concurrency?: string;
  appProbers?: string;
  statusPort?: string;
  interceptionMode?: string;
}

/** Control-plane namespace Citadel signs Pilot's identity in (its `--control-plane-namespace` default). */
export const CONTROL_PLANE_NAMESPACE = 'mizzen-system';

const HOST_PORT = /^[^:\s]+:\d+$/;

function parseCa(raw: RawAgentOptions, errors: FieldError[]): CaOptions | undefined {
  const ttl = raw.certTtl ?? '24h';
  const certTtlMs = parseDurationMs(ttl);
  if (certTtlMs === undefined) errors.push({ path: 'certTtl', message: `"${ttl}" is not a duration (e.g. 24h, 90m)` });
  if (!raw.caAddr) {
    if (raw.caTokenFile) errors.push({ path: 'caTokenFile', message: 'needs --ca-addr' });
    return undefined;
  }
  if (!HOST_PORT.test(raw.caAddr)) errors.push({ path: 'caAddr', message: `"${raw.caAddr}" is not host:port` });
  if (!raw.caTokenFile) errors.push({ path: 'caTokenFile', message: 'is required with --ca-addr (the bootstrap token Citadel authenticates the workload with)' });
  return { addr: raw.caAddr, tokenFile: raw.caTokenFile ?? '', rootFile: raw.caRootFile || undefined, certTtlMs: certTtlMs ?? 0 };
}

function parsePilotTls(raw: RawAgentOptions, trustDomain: string, errors: FieldError[]): PilotTlsOptions | undefined {
  const on = raw.pilotTls === true || raw.pilotTls === 'true' || raw.pilotTls === '1';
  if (!on) {
    if (raw.pilotSan) errors.push({ path: 'pilotSan', message: 'needs --pilot-tls' });
    return undefined;
  }
  if (!raw.caAddr && !raw.caRootFile) errors.push({ path: 'pilotTls', message: "needs a root to verify Pilot with: --ca-addr (the agent's ROOTCA) or --ca-root-file" });
  return { san: raw.pilotSan || `spiffe://${trustDomain}/ns/${CONTROL_PLANE_NAMESPACE}/sa/pilot` };
}

function parseLabels(raw: string | undefined, errors: FieldError[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const i = pair.indexOf('=');
    if (i <= 0) errors.push({ path: 'labels', message: `"${pair}" is not key=value` });
    else out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

/** `name:port=host:port`, e.g. `http:9080=127.1.0.5:41234`. */
export function parseInbound(spec: string, errors: FieldError[], path = 'inbound'): InboundPort | undefined {
  const m = /^([a-z0-9-]+):(\d+)=([^:=\s]+):(\d+)$/i.exec(spec.trim());
  const port = Number(m?.[2]);
  const targetPort = Number(m?.[4]);
  if (!m || port < 1 || port > 65535 || targetPort < 1 || targetPort > 65535) {
    errors.push({ path, message: `"${spec}" is not name:port=host:port` });
    return undefined;
  }
  return { name: m[1], port, protocol: protocolFromPortName(m[1]), target: `${m[3]}:${m[4]}` };
}

function parseLocality(raw: string | undefined): Locality | undefined {
  if (!raw) return undefined;
  const [region, zone, subZone] = raw.split('/');
  return { region: region || undefined, zone: zone || undefined, subZone: subZone || undefined };
}

function parsePort(raw: string | undefined, fallback: number, path: string, errors: FieldError[]): number {
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) errors.push({ path, message: `"${raw}" is not a port` });
  return n;
}

/** Upper bound for `--concurrency`: far more processes than any machine this runs on has cores. */
export const MAX_CONCURRENCY = 256;

function parseConcurrency(raw: string | undefined, errors: FieldError[]): number {
  const n = raw === undefined ? 1 : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_CONCURRENCY) {
    errors.push({ path: 'concurrency', message: `"${raw}" is not a worker count (1..${MAX_CONCURRENCY})` });
    return 1;
  }
  return n;
}

/** Modes this proxy can serve: REDIRECT would need SO_ORIGINAL_DST, which Node cannot read. */
const PROXY_INTERCEPTION_MODES: readonly InterceptionMode[] = ['NONE', 'TPROXY'];

function parseInterceptionMode(raw: string | undefined, type: string, errors: FieldError[]): InterceptionMode {
  const mode = (raw ?? 'NONE').toUpperCase();
  const known = PROXY_INTERCEPTION_MODES.find((m) => m === mode);
  if (!known) {
    errors.push({ path: 'interceptionMode', message: `"${raw}" is not ${PROXY_INTERCEPTION_MODES.join(' or ')}` });
    return 'NONE';
  }
  if (known !== 'NONE' && type !== 'sidecar') errors.push({ path: 'interceptionMode', message: `${known} applies to sidecars only` });
  return known;
}

/** Validates raw options, collecting every problem. */
export function parseAgentOptions(raw: RawAgentOptions): Result<AgentOptions> {
  const errors: FieldError[] = [];
  const type = raw.type ?? 'sidecar';
  if (type !== 'sidecar' && type !== 'router') errors.push({ path: 'type', message: 'must be sidecar or router' });
  const ip = raw.ip ?? '127.0.0.1';
  if (!isIP(ip)) errors.push({ path: 'ip', message: `"${ip}" is not an IP address` });
  const namespace = raw.namespace || 'default';
  const inbound = (raw.inbound ?? []).flatMap((s) => s.split(/[\s,]+/).filter(Boolean)).map((s, i) => parseInbound(s, errors, `inbound[${i}]`));
  const accessLog = raw.accessLog ?? 'stdout';
  if (accessLog !== 'stdout' && accessLog !== 'off') errors.push({ path: 'accessLog', message: 'must be stdout or off' });
  const pilot = raw.pilot || '127.0.0.1:15010';
  if (!HOST_PORT.test(pilot)) errors.push({ path: 'pilot', message: `"${pilot}" is not host:port` });
  const trustDomain = raw.trustDomain || 'cluster.local';
  if (!isValidTrustDomain(trustDomain)) errors.push({ path: 'trustDomain', message: `"${trustDomain}" is not a SPIFFE trust domain` });
  const appProbers = parseAppProbers(raw.appProbers, errors);
  const options: AgentOptions = {
    type: type === 'router' ? 'router' : 'sidecar',
    ip,
    namespace,
    workload: raw.workload || `${type}-${ip}`,
    service: raw.service || undefined,
    serviceAccount: raw.serviceAccount || 'default',
    labels: parseLabels(raw.labels, errors),
    inbound: inbound.filter((p): p is InboundPort => p !== undefined),
    locality: parseLocality(raw.locality),
    pilot,
    adminPort: parsePort(raw.adminPort, 15000, 'adminPort', errors),
    accessLog: accessLog !== 'off',
    trustDomain,
    ca: parseCa(raw, errors),
    caRootFile: raw.caRootFile || undefined,
    pilotTls: parsePilotTls(raw, trustDomain, errors),
    concurrency: parseConcurrency(raw.concurrency, errors),
    appProbers,
    statusPort: parsePort(raw.statusPort, appProbers.size ? 15020 : 0, 'statusPort', errors),
    interceptionMode: parseInterceptionMode(raw.interceptionMode, type, errors),
  };
  return errors.length ? fail(errors) : ok(options);
}
