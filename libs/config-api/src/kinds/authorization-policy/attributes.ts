import { checkIPSubnet } from '../../common/checks/ip';

/**
 * Istio `security.ValidateAttribute` (pkg/config/security): the condition keys Istio knows and
 * the value checks each one gets. https://istio.io/latest/docs/reference/config/security/conditions/
 */
type ValueCheck = (value: string) => string | undefined;

const none: ValueCheck = () => undefined;

/** Istio `ValidateIPs`: an IP or a CIDR. */
export const checkIPValue: ValueCheck = (v) => (checkIPSubnet(v) ? `bad IP address or CIDR range (${v})` : undefined);

/** Istio `ValidatePorts`: a decimal port 0-65535. */
export const checkPortValue: ValueCheck = (v) => (/^\d+$/.test(v) && Number(v) <= 65535 ? undefined : `bad port (${v})`);

const EXACT_KEYS: Readonly<Record<string, ValueCheck>> = {
  'source.ip': checkIPValue,
  'remote.ip': checkIPValue,
  'source.namespace': none,
  'source.principal': none,
  'source.serviceAccount': none,
  'request.auth.principal': none,
  'request.auth.audiences': none,
  'request.auth.presenter': none,
  'destination.ip': checkIPValue,
  'destination.port': checkPortValue,
  'connection.sni': none,
};

/** Keys whose name is followed by `[name]` (claims may nest: `request.auth.claims[a][b]`). */
const MAP_KEYS = ['request.headers', 'request.auth.claims', 'experimental.envoy.filters.'];

/** Returns the check for `key`'s values, or an error message for an unknown or malformed key. */
export function attributeCheck(key: string): ValueCheck | string {
  const exact = EXACT_KEYS[key];
  if (exact) return exact;
  const prefix = MAP_KEYS.find((p) => key.startsWith(p));
  if (!prefix) return `unknown attribute: ${key}`;
  const rest = key.slice(prefix.length);
  const ok = prefix === 'experimental.envoy.filters.' ? /^[^[\]]+\[[^[\]]+\]$/.test(rest) : /^(?:\[[^[\]]+\])+$/.test(rest) && (prefix === 'request.auth.claims' || /^\[[^[\]]+\]$/.test(rest));
  return ok ? none : `invalid key: ${key}`;
}
