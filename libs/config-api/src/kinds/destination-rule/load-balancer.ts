import { checkDuration } from '../../common/duration';
import type { Diagnostics } from '../../core/diagnostics';
import { keyPath } from '../../core/field-path';
import type { LoadBalancerSettings, LocalityLoadBalancerSetting, OutlierDetection } from './types';

/**
 * Istio `validateLoadBalancer`: `simple` xor `consistentHash`; one hash key; `ringHash` xor
 * `maglev` (and not with the deprecated `minimumRingSize`); Maglev table sizes are primes below
 * 5000011 (Envoy's rule); locality and warmup settings.
 * https://istio.io/latest/docs/reference/config/networking/destination-rule/#LoadBalancerSettings
 */
export function validateLoadBalancer(d: Diagnostics, path: string, lb: LoadBalancerSettings | undefined, outlier: OutlierDetection | undefined): void {
  if (!lb) return;
  if (lb.simple !== undefined && lb.consistentHash) d.error(path, 'only one of simple or consistentHash may be set');
  const ch = lb.consistentHash;
  if (ch) {
    const at = `${path}.consistentHash`;
    const keys = (['httpHeaderName', 'httpCookie', 'useSourceIp', 'httpQueryParameterName'] as const).filter((k) => ch[k] !== undefined);
    if (keys.length > 1) d.error(at, `only one hash key may be set, got ${keys.join(', ')}`);
    if (ch.httpCookie && !ch.httpCookie.name) d.error(`${at}.httpCookie.name`, 'name required for httpCookie');
    if (ch.ringHash && ch.maglev) d.error(at, 'only one of ringHash or maglev may be set');
    if (ch.minimumRingSize !== undefined && ch.minimumRingSize !== 0) {
      d.warn(`${at}.minimumRingSize`, 'consistent hash minimumRingSize is deprecated, use ringHash.minimumRingSize instead');
      if (ch.ringHash || ch.maglev) d.error(`${at}.minimumRingSize`, 'only one of minimumRingSize or maglev/ringHash can be specified');
    }
    const size = ch.maglev ? (ch.maglev.tableSize ?? 0) : undefined;
    if (size !== undefined) {
      const tp = `${at}.maglev.tableSize`;
      if (size === 0) d.error(tp, 'tableSize must be set for maglev');
      else if (size >= 5000011) d.error(tp, 'tableSize must be less than 5000011 for maglev');
      else if (!isPrime(size)) d.error(tp, 'tableSize must be a prime number for maglev');
    }
  }
  validateLocalityLb(d, `${path}.localityLbSetting`, lb.localityLbSetting, outlier);
  if (lb.warmupDurationSecs !== undefined) d.errorIf(`${path}.warmupDurationSecs`, checkDuration(lb.warmupDurationSecs));
  const w = lb.warmup;
  if (w) {
    d.errorIf(`${path}.warmup.duration`, checkDuration(w.duration));
    if ((w.minimumPercent ?? 0) > 100 || (w.minimumPercent ?? 0) < 0) d.error(`${path}.warmup.minimumPercent`, 'minimumPercent must be in range 0..100');
    if (w.aggression !== undefined && w.aggression < 1) d.error(`${path}.warmup.aggression`, 'aggression should be greater than or equal to 1');
  }
}

function isPrime(x: number): boolean {
  if (x < 4) return x !== 0;
  if (x % 2 === 0) return false;
  for (let f = 3; f * f <= x; f += 2) if (x % f === 0) return false;
  return true;
}

const TOPOLOGY_LABELS = new Set(['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone']);

/**
 * Istio `ValidateLocalityLbSetting`: `distribute` xor `failover`; distribute weights in 1..100
 * summing to 100 per entry; localities well formed (wildcard only at the end, no overlaps);
 * failover between different regions; failover needs outlier detection to work (warning).
 * https://istio.io/latest/docs/reference/config/networking/destination-rule/#LocalityLoadBalancerSetting
 */
function validateLocalityLb(d: Diagnostics, path: string, lb: LocalityLoadBalancerSetting | undefined, outlier: OutlierDetection | undefined): void {
  if (!lb) return;
  const distribute = lb.distribute ?? [];
  const failover = lb.failover ?? [];
  if (distribute.length && failover.length) {
    d.error(path, "can not simultaneously specify 'distribute' and 'failover'");
    return;
  }
  if (failover.length) {
    (lb.failoverPriority ?? []).forEach((label, i) => {
      if (TOPOLOGY_LABELS.has(label)) d.error(`${path}.failoverPriority[${i}]`, `can not simultaneously set 'failover' and topology label '${label}' in 'failoverPriority'`);
    });
  }
  distribute.forEach((entry, i) => {
    const at = `${path}.distribute[${i}]`;
    let total = 0;
    for (const [loc, weight] of Object.entries(entry.to ?? {})) {
      if (weight <= 0 || weight > 100) d.error(keyPath(`${at}.to`, loc), 'locality weight must be in range [1, 100]');
      total += weight;
    }
    if (total !== 100) d.error(`${at}.to`, `total locality weight ${total} != 100`);
    d.errorIf(`${at}.to`, checkLocalities(Object.keys(entry.to ?? {})));
  });
  d.errorIf(`${path}.distribute`, checkLocalities(distribute.map((e) => e.from ?? '')));
  if ((failover.length || lb.failoverPriority?.length) && !outlier) d.warn(path, 'outlier detection policy must be provided for failover');
  failover.forEach((f, i) => {
    const at = `${path}.failover[${i}]`;
    if (f.from === f.to) d.error(at, 'locality lb failover settings must specify different regions');
    if (f.from?.includes('/') || f.to?.includes('/')) d.error(at, 'locality lb failover only specify region');
    if (f.from?.includes('*') || f.to?.includes('*')) d.error(at, "locality lb failover region should not contain '*' wildcard");
  });
}

/** `region[/zone]` covers every locality below it; `*` covers everything at its level. */
function covers(a: readonly string[], b: readonly string[]): boolean {
  return a.length <= b.length && a.every((p, i) => p === '*' || p === b[i]);
}

/** Localities are `region[/zone[/subzone]]`, `*` only as the last character, and none may cover another. */
function checkLocalities(localities: readonly string[]): string | undefined {
  const seen: string[][] = [];
  for (const loc of localities) {
    const stars = loc.split('*').length - 1;
    if (stars > 1 || (stars === 1 && !loc.endsWith('*'))) return `locality ${loc} wildcard '*' number can not exceed 1 and must be in the end`;
    const parts = loc.split('/', 3);
    if (parts.some((p) => p === '')) return `locality ${loc} must not contain empty region/zone/subzone info`;
    if (seen.some((s) => covers(s, parts) || covers(parts, s))) return `locality ${loc} overlap with previous specified ones`;
    seen.push(parts);
  }
  return undefined;
}
