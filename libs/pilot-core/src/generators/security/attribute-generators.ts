import type { Permission, Principal, ValueMatcher } from './envoy-types';
import { cidrRange, headerMatcher, hostMatcher, regexMatcher, stringMatcher, stringMatcherWithPrefix } from './matchers';

/**
 * One generator per AuthorizationPolicy attribute, as Istio's `pilot/pkg/security/authz/model/
 * generator.go`: a value becomes one Envoy Permission or Principal, or an error string when it
 * cannot be expressed (the caller applies Istio's ALLOW/DENY error rule).
 * https://istio.io/latest/docs/reference/config/security/conditions/
 */
export type PermissionGen = { side: 'permission'; make(value: string): Permission | string; httpOnly?: boolean };
export type PrincipalGen = { side: 'principal'; make(value: string): Principal | string; httpOnly?: boolean };
export type AttributeGen = PermissionGen | PrincipalGen;

/** jwt_authn writes the verified payload under this filter and key (`payload_in_metadata`). */
export const JWT_FILTER = 'envoy.filters.http.jwt_authn';
export const JWT_PAYLOAD_KEY = 'payload';

const permission = (make: PermissionGen['make']): PermissionGen => ({ side: 'permission', make });
const principal = (make: PrincipalGen['make']): PrincipalGen => ({ side: 'principal', make });
/**
 * An attribute only an HTTP request has (Istio's generators return "is HTTP only" for TCP): on a
 * TCP filter chain each of its values is an error, so an ALLOW rule using it is dropped and a
 * DENY/AUDIT rule ignores it (a wider deny).
 */
const httpOnly = <G extends AttributeGen>(g: G): G => ({ ...g, httpOnly: true });
const authenticated = (principalName: ReturnType<typeof stringMatcher>): Principal => ({ authenticated: { principalName } });

/** A claim may be a string or a list of strings (`groups`): match either, like Istio's list matcher. */
function claimValue(v: string): ValueMatcher {
  const m = stringMatcher(v);
  return { orMatch: { valueMatchers: [{ stringMatch: m }, { listMatch: { oneOf: { stringMatch: m } } }] } };
}

function jwtClaim(path: readonly string[], value: ValueMatcher): Principal {
  return { metadata: { filter: JWT_FILTER, path: [JWT_PAYLOAD_KEY, ...path].map((key) => ({ key })), value } };
}

/**
 * `iss/sub` (the issuer may contain `/`, so split at the last one) matched against the JWT payload,
 * as Istio's requestPrincipalGenerator does since it reads jwt_authn metadata directly.
 */
function requestPrincipal(v: string): Principal {
  const idx = v.lastIndexOf('/');
  const [iss, sub] = idx >= 0 ? [v.slice(0, idx), v.slice(idx + 1)] : [v, ''];
  const any = regexMatcher('.+');
  let mi = stringMatcher(iss);
  let ms = stringMatcher(sub);
  if (v === '*') [mi, ms] = [any, any];
  else if (v.startsWith('*') && idx < 0) [mi, ms] = [any, { suffix: v.slice(1) }];
  else if (v.startsWith('*')) [mi, ms] = [iss === '*' ? any : { suffix: iss.slice(1) }, { exact: sub }];
  else if (v.endsWith('*') && idx < 0) [mi, ms] = [{ prefix: v.slice(0, -1) }, any];
  else if (v.endsWith('*')) [mi, ms] = [{ exact: iss }, sub === '*' ? any : { prefix: sub.slice(0, -1) }];
  else [mi, ms] = [{ exact: iss }, { exact: sub }];
  return { andIds: { ids: [jwtClaim(['iss'], { stringMatch: mi }), jwtClaim(['sub'], { stringMatch: ms })] } };
}

/** `request.auth.claims[a][b]` -> ['a', 'b']. */
function bracketNames(key: string, prefix: string): string[] | string {
  const rest = key.slice(prefix.length);
  const names = [...rest.matchAll(/\[([^[\]]+)\]/g)].map((m) => m[1]);
  return names.length && names.map((n) => `[${n}]`).join('') === rest ? names : `invalid key: ${key}`;
}

/** Istio `serviceAccountRegex`: `<sa>` (policy namespace) or `<ns>/<sa>`. */
function serviceAccount(policyNamespace: string, v: string): Principal {
  const [ns, sa] = v.includes('/') ? v.split('/', 2) : [policyNamespace, v];
  return authenticated(regexMatcher(`spiffe://.+/ns/${ns}/(.+/|)sa/${sa}(/.+)?`));
}

const PATH_TEMPLATE = /\{\*\*?\}/;

export const hostsGen = httpOnly(permission((v) => ({ header: hostMatcher(v) })));
export const methodsGen = httpOnly(permission((v) => ({ header: headerMatcher(':method', v) })));
/** Path templates (`{*}`, `{**}`) need Envoy's uri_template extension, which Mizzen does not load yet. */
export const pathsGen = httpOnly(permission((v) => (PATH_TEMPLATE.test(v) ? `path template ${v} is not supported` : { urlPath: { path: stringMatcher(v) } })));
export const portsGen = permission((v) => ({ destinationPort: Number(v) }));
export const destIpGen = permission((v) => ({ destinationIp: cidrRange(v) }));
export const sniGen = permission((v) => ({ requestedServerName: stringMatcher(v) }));

export const principalsGen = principal((v) => authenticated(stringMatcherWithPrefix(v, 'spiffe://')));
export const namespacesGen = principal((v) => authenticated(regexMatcher(`.*/ns/${v.replaceAll('*', '.*')}/.*`)));
export const requestPrincipalsGen = httpOnly(principal(requestPrincipal));
export const sourceIpGen = principal((v) => ({ directRemoteIp: cidrRange(v) }));
export const remoteIpGen = principal((v) => ({ remoteIp: cidrRange(v) }));
export const serviceAccountsGen = (policyNamespace: string): PrincipalGen => principal((v) => serviceAccount(policyNamespace, v));

/** The generator for a `when` key, or an error for a key Istio does not know. */
export function conditionGen(key: string, policyNamespace: string): AttributeGen | string {
  switch (key) {
    case 'destination.ip':
      return destIpGen;
    case 'destination.port':
      return portsGen;
    case 'connection.sni':
      return sniGen;
    case 'source.ip':
      return sourceIpGen;
    case 'remote.ip':
      return remoteIpGen;
    case 'source.namespace':
      return namespacesGen;
    case 'source.principal':
      return principalsGen;
    case 'source.serviceAccount':
      return serviceAccountsGen(policyNamespace);
    case 'request.auth.principal':
      return requestPrincipalsGen;
    case 'request.auth.audiences':
      return httpOnly(principal((v) => jwtClaim(['aud'], claimValue(v))));
    case 'request.auth.presenter':
      return httpOnly(principal((v) => jwtClaim(['azp'], claimValue(v))));
  }
  return mapKeyGen(key);
}

function mapKeyGen(key: string): AttributeGen | string {
  if (key.startsWith('request.headers')) {
    const names = bracketNames(key, 'request.headers');
    if (typeof names === 'string' || names.length !== 1) return `invalid key: ${key}`;
    return httpOnly(principal((v) => ({ header: headerMatcher(names[0], v) })));
  }
  if (key.startsWith('request.auth.claims')) {
    const names = bracketNames(key, 'request.auth.claims');
    return typeof names === 'string' ? names : httpOnly(principal((v) => jwtClaim(names, claimValue(v))));
  }
  if (key.startsWith('experimental.envoy.filters.')) {
    const m = /^experimental\.(envoy\.filters\.[^[\]]+)\[([^[\]]+)\]$/.exec(key);
    if (!m) return `invalid key: ${key}`;
    return permission((v) => {
      const list = v.startsWith('[') && v.endsWith(']');
      const sm = { stringMatch: stringMatcher(list ? v.slice(1, -1) : v) };
      return { metadata: { filter: m[1], path: [{ key: m[2] }], value: list ? { listMatch: { oneOf: sm } } : sm } };
    });
  }
  return `unknown attribute ${key}`;
}
