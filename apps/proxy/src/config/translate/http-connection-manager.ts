import type * as xds from '@mizzen/xds-types';
import { TypeUrl } from '@mizzen/xds-types';
import type { FaultConfig, Http2Settings, HttpCodec, HttpConnectionManagerConfig, HttpSecurityFilter, RouteSource } from '../model';
import { faultConfig } from './fault';
import { extAuthz } from './ext-authz';
import { jwtAuthn } from './jwt-authn';
import { httpRbac } from './rbac';
import { type Issues, at } from './issues';
import { durationMs } from './primitives';
import { routeConfig } from './route-config';

/** Fields of HttpConnectionManager that @mizzen/xds-types does not (yet) declare. */
type HcmBody = xds.HttpConnectionManager & { serverHeaderTransformation?: 'OVERWRITE' | 'APPEND_IF_ABSENT' | 'PASS_THROUGH' };

const SERVER_HEADER = { OVERWRITE: 'overwrite', APPEND_IF_ABSENT: 'append-if-absent', PASS_THROUGH: 'pass-through' } as const;

/** A security filter by its typed_config type, or undefined for any other filter. */
function httpSecurityFilter(name: string, cfg: xds.Any, path: string, issues: Issues): HttpSecurityFilter | undefined {
  const body = cfg as unknown as Record<string, unknown>;
  switch (cfg['@type']) {
    case TypeUrl.RBAC:
      return { kind: 'rbac', name, config: httpRbac(body, path, issues) };
    case TypeUrl.JwtAuthentication:
      return { kind: 'jwt-authn', name, config: jwtAuthn(body, path, issues) };
    case TypeUrl.ExtAuthz:
      return { kind: 'ext-authz', name, config: extAuthz(body, path, issues) };
  }
  return undefined;
}

/** What the HCM's http_filters translate to. */
interface HttpFilters {
  fault?: FaultConfig;
  cors?: boolean;
  security: HttpSecurityFilter[];
}

/**
 * HTTP filters: the security filters (RBAC, jwt_authn, ext_authz; see `httpSecurityFilter`), the
 * fault filter and CORS (optional) and the router, which must be last. Security filters run first
 * (before route-dependent filters), so one placed after the fault or CORS filter is rejected rather
 * than run out of order. Other filters are rejected unless optional or disabled, as Envoy rejects
 * unknown non-optional filters.
 */
function httpFilters(filters: xds.HttpFilter[] | undefined, path: string, issues: Issues): HttpFilters {
  const list = filters ?? [];
  const fp = at(path, 'httpFilters');
  if (!list.length) issues.error(fp, 'the router filter is required');
  const out: HttpFilters = { security: [] };
  list.forEach((f, i) => {
    const type = f.typedConfig?.['@type'];
    const isRouter = type === TypeUrl.Router;
    const last = i === list.length - 1;
    const security = !f.disabled && f.typedConfig ? httpSecurityFilter(f.name, f.typedConfig, at(at(fp, i), 'typedConfig'), issues) : undefined;
    if (isRouter !== last) issues.error(at(fp, i), isRouter ? 'the router filter must be last' : 'the last filter must be the router');
    else if (security) {
      if (out.fault || out.cors) issues.error(at(fp, i), `"${f.name}" must come before the fault and CORS filters`);
      out.security.push(security);
    } else if (type === TypeUrl.HTTPFault && !f.disabled) out.fault = faultConfig(f.typedConfig as xds.Any & xds.HTTPFault, at(at(fp, i), 'typedConfig'), issues);
    else if (type === TypeUrl.Cors && !f.disabled) out.cors = true;
    else if (!isRouter && !f.isOptional && !f.disabled) issues.error(at(fp, i), `HTTP filter "${f.name}" (${type ?? 'no config'}) is not supported`);
    else if (!isRouter) issues.warn(at(fp, i), `optional HTTP filter "${f.name}" skipped`);
  });
  return out;
}

function routeSource(h: xds.HttpConnectionManager, path: string, issues: Issues): RouteSource {
  if ((h.rds === undefined) === (h.routeConfig === undefined)) {
    issues.error(path, 'exactly one of rds, routeConfig is required');
    return { kind: 'rds', name: '' };
  }
  if (h.routeConfig) return { kind: 'inline', config: routeConfig(h.routeConfig, at(path, 'routeConfig'), issues) };
  const rds = h.rds as xds.Rds;
  if (!rds.routeConfigName) issues.error(at(path, 'rds.routeConfigName'), 'is required');
  const src = rds.configSource;
  if (src && !src.ads && !src.self) issues.error(at(path, 'rds.configSource'), 'only ADS config sources are supported');
  return { kind: 'rds', name: rds.routeConfigName };
}

/** Accepted but not enforced: logged so nobody believes they are. */
function warnIgnored(h: xds.HttpConnectionManager, path: string, issues: Issues): void {
  if (h.normalizePath?.value || h.mergeSlashes) issues.warn(at(path, 'normalizePath'), 'path normalization is not implemented; ignored');
  if (h.streamIdleTimeout) issues.warn(at(path, 'streamIdleTimeout'), 'not implemented; ignored');
}

const CODECS: Record<xds.CodecType, HttpCodec | undefined> = { AUTO: 'auto', HTTP1: 'http1', HTTP2: 'http2', HTTP3: undefined };

/** codec_type (default AUTO: ALPN, else the h2c preface, else HTTP/1.1); HTTP/3 is not supported. */
function codec(h: xds.HttpConnectionManager, path: string, issues: Issues): HttpCodec {
  const c = CODECS[h.codecType ?? 'AUTO'];
  if (!c) issues.error(at(path, 'codecType'), `${h.codecType} is not supported`);
  return c ?? 'auto';
}

/**
 * http2_protocol_options we apply to downstream HTTP/2 sessions. Window sizes left unset keep
 * node's defaults (64 KiB) rather than Envoy's 256 MiB, which node would buffer unbounded.
 */
function http2Settings(o: xds.Http2ProtocolOptions | undefined, path: string, issues: Issues): Http2Settings {
  const p = at(path, 'http2ProtocolOptions');
  const check = (v: number | undefined, name: string, min: number, max: number): number | undefined => {
    if (v !== undefined && (v < min || v > max)) issues.error(at(p, name), `must be in [${min}, ${max}]`);
    return v;
  };
  return {
    maxConcurrentStreams: check(o?.maxConcurrentStreams?.value, 'maxConcurrentStreams', 1, 2147483647) ?? 2147483647,
    initialStreamWindowSize: check(o?.initialStreamWindowSize?.value, 'initialStreamWindowSize', 65535, 2147483647),
    initialConnectionWindowSize: check(o?.initialConnectionWindowSize?.value, 'initialConnectionWindowSize', 65535, 2147483647),
  };
}

/**
 * upgrade_configs: the HTTP/1.1 Upgrade types tunnelled after a 101 (Istio enables `websocket`).
 * Upgrade-specific filter chains and CONNECT are not supported.
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/http/upgrades
 */
function upgrades(h: xds.HttpConnectionManager, path: string, issues: Issues): string[] {
  const out: string[] = [];
  (h.upgradeConfigs ?? []).forEach((u, i) => {
    const p = at(at(path, 'upgradeConfigs'), i);
    const type = (u.upgradeType ?? '').toLowerCase();
    if (!type) issues.error(at(p, 'upgradeType'), 'is required');
    else if (type === 'connect') issues.error(at(p, 'upgradeType'), 'CONNECT is not supported');
    if (u.filters?.length) issues.error(at(p, 'filters'), 'upgrade-specific filter chains are not supported');
    if (type && u.enabled?.value !== false && !out.includes(type)) out.push(type);
  });
  return out;
}

/**
 * HttpConnectionManager, with Envoy's defaults: generate_request_id true, server_name `envoy`,
 * idle timeout 1 h, drain timeout 5 s, request timeout off.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto
 */
export function httpConnectionManager(h: HcmBody, path: string, issues: Issues): HttpConnectionManagerConfig {
  if (!h.statPrefix) issues.error(at(path, 'statPrefix'), 'is required');
  const { fault, cors, security } = httpFilters(h.httpFilters, path, issues);
  warnIgnored(h, path, issues);
  return {
    statPrefix: h.statPrefix ?? '',
    codec: codec(h, path, issues),
    http2: http2Settings(h.http2ProtocolOptions, path, issues),
    routes: routeSource(h, path, issues),
    useRemoteAddress: h.useRemoteAddress?.value ?? false,
    generateRequestId: h.generateRequestId?.value ?? true,
    serverName: h.serverName || 'envoy',
    serverHeader: SERVER_HEADER[h.serverHeaderTransformation ?? 'OVERWRITE'],
    idleTimeoutMs: durationMs(h.commonHttpProtocolOptions?.idleTimeout, at(path, 'commonHttpProtocolOptions.idleTimeout'), issues, 3_600_000),
    requestTimeoutMs: durationMs(h.requestTimeout, at(path, 'requestTimeout'), issues, 0),
    drainTimeoutMs: durationMs(h.drainTimeout, at(path, 'drainTimeout'), issues, 5000),
    upgrades: upgrades(h, path, issues),
    fault,
    cors,
    ...(security.length ? { securityFilters: security, xffNumTrustedHops: h.xffNumTrustedHops ?? 0 } : {}),
  };
}
