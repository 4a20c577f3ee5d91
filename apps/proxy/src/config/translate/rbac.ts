import type * as xds from '@mizzen/xds-types';
import { TypeUrl } from '@mizzen/xds-types';
import { parseIp } from '../../util/ip';
import type { CidrRange, HttpRbacConfig, MetadataMatcher, NetworkRbacConfig, RbacAction, RbacPermission, RbacPolicy, RbacPrincipal, RbacRules, StringMatcher, ValueMatcher } from '../model';
import { type Issues, at } from './issues';
import { headerMatcher, stringMatcher } from './primitives';

/**
 * Translation of Envoy's RBAC filters (HTTP and network) into validated rules. Every field Envoy
 * could set but we do not enforce is an error with its path: an authorization filter that skips
 * part of its config would allow what it should deny.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/rbac/v3/rbac.proto
 */

type Body = Record<string, unknown>;

/**
 * Errors for keys of `o` outside `known`. protobufjs JSON omits unset fields (a key is a set
 * field) except repeated ones, which decode as empty arrays: those count as unset.
 */
export function onlyFields(o: object | undefined, known: readonly string[], path: string, issues: Issues): void {
  for (const [k, v] of Object.entries(o ?? {})) {
    if (v === undefined || (Array.isArray(v) && v.length === 0) || k === '@type') continue;
    if (!known.includes(k)) issues.error(at(path, k), 'not supported');
  }
}

/** Exactly one of a oneof; returns its key. */
function oneOf(o: Body, keys: readonly string[], path: string, issues: Issues): string | undefined {
  const set = Object.keys(o).filter((k) => o[k] !== undefined);
  const unknown = set.filter((k) => !keys.includes(k));
  for (const k of unknown) issues.error(at(path, k), 'not supported');
  if (unknown.length) return undefined;
  if (set.length !== 1) {
    issues.error(path, set.length ? `only one of ${set.join(', ')} may be set` : `one of ${keys.join(', ')} is required`);
    return undefined;
  }
  return set[0];
}

/** envoy.config.core.v3.CidrRange, as Envoy's RBAC IP matchers take it. */
export function cidrRange(r: xds.CidrRange | undefined, path: string, issues: Issues): CidrRange | undefined {
  const ip = parseIp(r?.addressPrefix ?? '');
  if (!ip) {
    issues.error(at(path, 'addressPrefix'), `invalid address "${r?.addressPrefix ?? ''}"`);
    return undefined;
  }
  const max = ip.family === 6 ? 128 : 32;
  const prefixLen = r?.prefixLen?.value ?? 0;
  if (!Number.isInteger(prefixLen) || prefixLen < 0 || prefixLen > max) {
    issues.error(at(path, 'prefixLen'), `must be in [0, ${max}]`);
    return undefined;
  }
  return { address: r?.addressPrefix ?? '', prefixLen, family: ip.family };
}

function string(m: unknown, path: string, issues: Issues): StringMatcher | undefined {
  if (!m || typeof m !== 'object') {
    issues.error(path, 'a StringMatcher is required');
    return undefined;
  }
  onlyFields(m, ['exact', 'prefix', 'suffix', 'contains', 'safeRegex', 'ignoreCase'], path, issues);
  return stringMatcher(m as xds.StringMatcher, path, issues);
}

/** envoy.type.matcher.v3.ValueMatcher. */
export function valueMatcher(v: Body | undefined, path: string, issues: Issues): ValueMatcher | undefined {
  const o = v ?? {};
  const key = oneOf(o, ['nullMatch', 'doubleMatch', 'stringMatch', 'boolMatch', 'presentMatch', 'listMatch', 'orMatch'], path, issues);
  const p = key ? at(path, key) : path;
  switch (key) {
    case 'nullMatch':
      return { kind: 'null' };
    case 'doubleMatch': {
      const d = o.doubleMatch as { exact?: number; range?: { start?: number; end?: number } };
      if (d.exact !== undefined) return { kind: 'double-exact', value: d.exact };
      if (d.range) return { kind: 'double-range', start: d.range.start ?? 0, end: d.range.end ?? 0 };
      issues.error(p, 'one of exact, range is required');
      return undefined;
    }
    case 'stringMatch': {
      const matcher = string(o.stringMatch, p, issues);
      return matcher && { kind: 'string', matcher };
    }
    case 'boolMatch':
      return { kind: 'bool', value: o.boolMatch === true };
    case 'presentMatch':
      return { kind: 'present', present: o.presentMatch === true };
    case 'listMatch': {
      const l = o.listMatch as { oneOf?: Body };
      onlyFields(l, ['oneOf'], p, issues);
      const inner = valueMatcher(l.oneOf, at(p, 'oneOf'), issues);
      return inner && { kind: 'list', oneOf: inner };
    }
    case 'orMatch': {
      const list = (o.orMatch as { valueMatchers?: Body[] }).valueMatchers ?? [];
      if (list.length < 2) issues.error(at(p, 'valueMatchers'), 'at least 2 matchers are required');
      const matchers = list.map((m, i) => valueMatcher(m, at(at(p, 'valueMatchers'), i), issues));
      return matchers.every((m) => m !== undefined) ? { kind: 'or', matchers: matchers as ValueMatcher[] } : undefined;
    }
  }
  return undefined;
}

/** envoy.type.matcher.v3.MetadataMatcher: filter namespace, key path, value. */
export function metadataMatcher(m: Body | undefined, path: string, issues: Issues): MetadataMatcher | undefined {
  const o = (m ?? {}) as { filter?: string; path?: Array<{ key?: string }>; value?: Body; invert?: boolean };
  onlyFields(o, ['filter', 'path', 'value', 'invert'], path, issues);
  if (!o.filter) issues.error(at(path, 'filter'), 'is required');
  if (!o.path?.length) issues.error(at(path, 'path'), 'at least one path segment is required');
  const keys = (o.path ?? []).map((s, i) => {
    onlyFields(s, ['key'], at(at(path, 'path'), i), issues);
    if (!s.key) issues.error(at(at(at(path, 'path'), i), 'key'), 'is required');
    return s.key ?? '';
  });
  if (!o.value) issues.error(at(path, 'value'), 'is required');
  const value = o.value ? valueMatcher(o.value, at(path, 'value'), issues) : undefined;
  return value && o.filter ? { filter: o.filter, path: keys, value, invert: o.invert === true } : undefined;
}

/** A header matcher in RBAC: the same HeaderMatcher as routes (Envoy joins repeated values with `,`). */
function header(h: unknown, path: string, issues: Issues): RbacPermission | undefined {
  const m = headerMatcher(h as xds.HeaderMatcher, path, issues);
  return m && { kind: 'header', matcher: m };
}

function urlPath(u: unknown, path: string, issues: Issues): StringMatcher | undefined {
  const o = (u ?? {}) as { path?: unknown };
  onlyFields(o, ['path'], path, issues);
  return string(o.path, at(path, 'path'), issues);
}

const PERMISSION_KEYS = ['any', 'andRules', 'orRules', 'notRule', 'header', 'urlPath', 'destinationIp', 'destinationPort', 'destinationPortRange', 'metadata', 'requestedServerName'];

/** envoy.config.rbac.v3.Permission (`matcher`, `uri_template` and `sourced_metadata` are rejected). */
export function permission(p: Body | undefined, path: string, issues: Issues): RbacPermission | undefined {
  const o = p ?? {};
  const key = oneOf(o, PERMISSION_KEYS, path, issues);
  const kp = key ? at(path, key) : path;
  const v = key ? o[key] : undefined;
  switch (key) {
    case 'any':
      if (v !== true) issues.error(kp, 'must be true');
      return { kind: 'any' };
    case 'andRules':
    case 'orRules': {
      const list = translateList((v as { rules?: Body[] }).rules, 'rule', permission, at(kp, 'rules'), issues);
      return list && { kind: key === 'andRules' ? 'and' : 'or', rules: list };
    }
    case 'notRule': {
      const rule = permission(v as Body, kp, issues);
      return rule && { kind: 'not', rule };
    }
    case 'header':
      return header(v, kp, issues);
    case 'urlPath': {
      const matcher = urlPath(v, kp, issues);
      return matcher && { kind: 'url-path', matcher };
    }
    case 'destinationIp': {
      const cidr = cidrRange(v as xds.CidrRange, kp, issues);
      return cidr && { kind: 'destination-ip', cidr };
    }
    case 'destinationPort': {
      const port = Number(v);
      if (!Number.isInteger(port) || port < 0 || port > 65535) issues.error(kp, `invalid port ${String(v)}`);
      return { kind: 'destination-port', port };
    }
    case 'destinationPortRange': {
      const r = v as { start?: number; end?: number };
      const start = r.start ?? 0;
      const end = r.end ?? 0;
      if (start > end) issues.error(kp, 'start must not exceed end');
      return { kind: 'destination-port-range', start, end };
    }
    case 'metadata': {
      const matcher = metadataMatcher(v as Body, kp, issues);
      return matcher && { kind: 'metadata', matcher };
    }
    case 'requestedServerName': {
      const matcher = string(v, kp, issues);
      return matcher && { kind: 'requested-server-name', matcher };
    }
  }
  return undefined;
}

/** A non-empty list of permissions or principals, each translated; undefined when any failed. */
function translateList<T>(list: Body[] | undefined, what: 'rule' | 'id', one: (b: Body, path: string, issues: Issues) => T | undefined, path: string, issues: Issues): T[] | undefined {
  if (!list?.length) issues.error(path, `at least one ${what} is required`);
  const out = (list ?? []).map((b, i) => one(b, at(path, i), issues));
  return out.every((x) => x !== undefined) ? (out as T[]) : undefined;
}

const PRINCIPAL_KEYS = ['any', 'andIds', 'orIds', 'notId', 'authenticated', 'sourceIp', 'directRemoteIp', 'remoteIp', 'header', 'urlPath', 'metadata'];

/** envoy.config.rbac.v3.Principal (`filter_state`, `custom` and `sourced_metadata` are rejected). */
export function principal(p: Body | undefined, path: string, issues: Issues): RbacPrincipal | undefined {
  const o = p ?? {};
  const key = oneOf(o, PRINCIPAL_KEYS, path, issues);
  const kp = key ? at(path, key) : path;
  const v = key ? o[key] : undefined;
  switch (key) {
    case 'any':
      if (v !== true) issues.error(kp, 'must be true');
      return { kind: 'any' };
    case 'andIds':
    case 'orIds': {
      const list = translateList((v as { ids?: Body[] }).ids, 'id', principal, at(kp, 'ids'), issues);
      return list && { kind: key === 'andIds' ? 'and' : 'or', ids: list };
    }
    case 'notId': {
      const id = principal(v as Body, kp, issues);
      return id && { kind: 'not', id };
    }
    case 'authenticated': {
      const a = (v ?? {}) as { principalName?: unknown };
      onlyFields(a, ['principalName'], kp, issues);
      const principalName = a.principalName === undefined ? undefined : string(a.principalName, at(kp, 'principalName'), issues);
      return a.principalName !== undefined && !principalName ? undefined : { kind: 'authenticated', principalName };
    }
    case 'sourceIp':
    case 'directRemoteIp':
    case 'remoteIp': {
      const cidr = cidrRange(v as xds.CidrRange, kp, issues);
      return cidr && { kind: key === 'remoteIp' ? 'remote-ip' : 'direct-remote-ip', cidr };
    }
    case 'header':
      return header(v, kp, issues) as RbacPrincipal | undefined;
    case 'urlPath': {
      const matcher = urlPath(v, kp, issues);
      return matcher && { kind: 'url-path', matcher };
    }
    case 'metadata': {
      const matcher = metadataMatcher(v as Body, kp, issues);
      return matcher && { kind: 'metadata', matcher };
    }
  }
  return undefined;
}

const ACTIONS: readonly RbacAction[] = ['ALLOW', 'DENY', 'LOG'];

/** envoy.config.rbac.v3.RBAC: action (default ALLOW) and named policies, sorted by name. */
export function rbacRules(r: Body, path: string, issues: Issues): RbacRules {
  onlyFields(r, ['action', 'policies'], path, issues);
  const action = (r.action ?? 'ALLOW') as RbacAction;
  if (!ACTIONS.includes(action)) issues.error(at(path, 'action'), `action ${String(r.action)} is not supported (ALLOW, DENY, LOG)`);
  const policies: RbacPolicy[] = [];
  for (const [name, body] of Object.entries((r.policies ?? {}) as Record<string, Body>)) {
    const p = at(at(path, 'policies'), name);
    onlyFields(body, ['permissions', 'principals'], p, issues);
    const permissions = translateList(body.permissions as Body[] | undefined, 'rule', permission, at(p, 'permissions'), issues);
    const principals = translateList(body.principals as Body[] | undefined, 'id', principal, at(p, 'principals'), issues);
    if (permissions && principals) policies.push({ name, permissions, principals });
  }
  // Envoy keeps policies in a std::map: the first matching name (byte order) is the effective policy.
  policies.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { action, policies };
}

/**
 * envoy.extensions.filters.http.rbac.v3.RBAC: `rules` (absent: nothing enforced), `shadow_rules`
 * and their stat prefixes. The matcher API and per-rule stats are rejected.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/http/rbac/v3/rbac.proto
 */
export function httpRbac(b: Body, path: string, issues: Issues): HttpRbacConfig {
  onlyFields(b, ['rules', 'rulesStatPrefix', 'shadowRules', 'shadowRulesStatPrefix'], path, issues);
  return {
    rules: b.rules ? rbacRules(b.rules as Body, at(path, 'rules'), issues) : undefined,
    rulesStatPrefix: (b.rulesStatPrefix as string | undefined) ?? '',
    shadowRules: b.shadowRules ? rbacRules(b.shadowRules as Body, at(path, 'shadowRules'), issues) : undefined,
    shadowRulesStatPrefix: (b.shadowRulesStatPrefix as string | undefined) ?? '',
  };
}

/**
 * envoy.extensions.filters.network.rbac.v3.RBAC: `stat_prefix` is required; `enforcement_type`
 * ONE_TIME_ON_FIRST_BYTE (the default) or CONTINUOUS are equivalent here (no network filter
 * changes dynamic metadata); `delay_deny` and matchers are rejected.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/filters/network/rbac/v3/rbac.proto
 */
export function networkRbac(b: Body, path: string, issues: Issues): NetworkRbacConfig {
  onlyFields(b, ['rules', 'shadowRules', 'shadowRulesStatPrefix', 'statPrefix', 'enforcementType'], path, issues);
  if (!b.statPrefix) issues.error(at(path, 'statPrefix'), 'is required');
  const rules = b.rules ? rbacRules(b.rules as Body, at(path, 'rules'), issues) : undefined;
  for (const [name, field] of [['rules', rules] as const]) {
    // Header, path and metadata matchers need an HTTP request: Envoy's network filter never matches them.
    if (field) for (const p of field.policies) checkNetworkOnly(p, at(at(path, name), `policies.${p.name}`), issues);
  }
  return {
    statPrefix: (b.statPrefix as string | undefined) ?? '',
    rules,
    shadowRules: b.shadowRules ? rbacRules(b.shadowRules as Body, at(path, 'shadowRules'), issues) : undefined,
    shadowRulesStatPrefix: (b.shadowRulesStatPrefix as string | undefined) ?? '',
  };
}

/** Warns about HTTP-only matchers in a network policy: they see no request and so never match. */
function checkNetworkOnly(p: RbacPolicy, path: string, issues: Issues): void {
  const httpOnly = (k: string): boolean => k === 'header' || k === 'url-path';
  const walkPerm = (x: RbacPermission): boolean => httpOnly(x.kind) || (x.kind === 'and' || x.kind === 'or' ? x.rules.some(walkPerm) : x.kind === 'not' ? walkPerm(x.rule) : false);
  const walkPrin = (x: RbacPrincipal): boolean => httpOnly(x.kind) || (x.kind === 'and' || x.kind === 'or' ? x.ids.some(walkPrin) : x.kind === 'not' ? walkPrin(x.id) : false);
  if (p.permissions.some(walkPerm) || p.principals.some(walkPrin)) issues.warn(path, 'header and url_path matchers never match on a TCP connection');
}

/**
 * The chain's envoy.filters.network.rbac filters, in order (they run before the terminal filter);
 * ChainRuntime.accept decides each connection with `networkRbacDenial` (security/network-rbac.ts).
 */
export function networkRbacFilters(filters: readonly xds.Filter[], path: string, issues: Issues): NetworkRbacConfig[] {
  const out: NetworkRbacConfig[] = [];
  filters.forEach((f, i) => {
    if (f.typedConfig?.['@type'] !== TypeUrl.NetworkRBAC) return;
    out.push(networkRbac(f.typedConfig as unknown as Body, at(at(path, i), 'typedConfig'), issues));
  });
  return out;
}
