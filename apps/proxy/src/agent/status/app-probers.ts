import type { FieldError, InboundPort } from '@mizzen/mesh-model';

/**
 * One rewritten probe, as Istio's injector writes it into ISTIO_KUBE_APP_PROBERS:
 * `{"/app-health/<container>/readyz": {"httpGet": {"path": "/health", "port": 9080}, "timeoutSeconds": 1}}`.
 * https://istio.io/latest/docs/ops/configuration/mesh/app-health-check/
 */
export interface AppProbe {
  kind: 'http' | 'tcp';
  port: number;
  /** HTTP only: path (with query), scheme and extra headers. */
  path: string;
  scheme: 'http' | 'https';
  headers: Record<string, string>;
  timeoutMs: number;
}

export type AppProbers = ReadonlyMap<string, AppProbe>;

const PROBE_PATH = /^\/app-health\/[^/]+\/(livez|readyz|startupz)$/;

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses ISTIO_KUBE_APP_PROBERS; every problem is reported with its path. */
export function parseAppProbers(text: string | undefined, errors: FieldError[]): AppProbers {
  const out = new Map<string, AppProbe>();
  if (!text) return out;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    errors.push({ path: 'appProbers', message: `not JSON: ${(e as Error).message}` });
    return out;
  }
  if (!isObj(raw)) {
    errors.push({ path: 'appProbers', message: 'must be an object of /app-health/<name>/<livez|readyz|startupz> paths' });
    return out;
  }
  for (const [path, spec] of Object.entries(raw)) {
    const at = `appProbers["${path}"]`;
    if (!PROBE_PATH.test(path)) errors.push({ path: at, message: 'key must be /app-health/<name>/livez, readyz or startupz' });
    const probe = parseProbe(spec, at, errors);
    if (probe) out.set(path, probe);
  }
  return out;
}

function parseProbe(spec: unknown, at: string, errors: FieldError[]): AppProbe | undefined {
  if (!isObj(spec)) {
    errors.push({ path: at, message: 'must be an object with httpGet or tcpSocket' });
    return undefined;
  }
  const timeoutMs = typeof spec.timeoutSeconds === 'number' && spec.timeoutSeconds > 0 ? spec.timeoutSeconds * 1000 : 1000;
  const http = spec.httpGet;
  const tcp = spec.tcpSocket;
  const target = isObj(http) ? http : isObj(tcp) ? tcp : undefined;
  if (!target) {
    errors.push({ path: at, message: 'needs httpGet or tcpSocket (grpc probes are not supported)' });
    return undefined;
  }
  const port = Number(target.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    errors.push({ path: `${at}.${isObj(http) ? 'httpGet' : 'tcpSocket'}.port`, message: `"${String(target.port)}" is not a port number` });
    return undefined;
  }
  const headers: Record<string, string> = {};
  for (const h of Array.isArray(target.httpHeaders) ? target.httpHeaders : []) if (isObj(h) && typeof h.name === 'string') headers[h.name.toLowerCase()] = String(h.value ?? '');
  const scheme = String(target.scheme ?? 'HTTP').toLowerCase() === 'https' ? 'https' : 'http';
  const path = typeof target.path === 'string' && target.path ? (target.path.startsWith('/') ? target.path : `/${target.path}`) : '/';
  return { kind: isObj(http) ? 'http' : 'tcp', port, path, scheme, headers, timeoutMs };
}

/**
 * Where a probe goes: the container port is the application's port. In local mode the app listens
 * at the inbound target declared for that port (`--inbound http:9080=127.1.0.1:19080`), else on the
 * workload address.
 */
export function probeAddress(probe: AppProbe, ip: string, inbound: readonly InboundPort[]): { host: string; port: number } {
  const target = inbound.find((p) => p.port === probe.port)?.target;
  if (!target) return { host: ip, port: probe.port };
  const i = target.lastIndexOf(':');
  return { host: target.slice(0, i), port: Number(target.slice(i + 1)) };
}
