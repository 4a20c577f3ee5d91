import { parseIp } from '../util/ip';

/**
 * The downstream remote address Envoy's HCM settles on (RBAC `remote_ip`): with
 * use_remote_address and no trusted hops, the connection's peer; otherwise the x-forwarded-for
 * entry `xff_num_trusted_hops` from the right as received (with use_remote_address one hop is the
 * peer itself), falling back to the peer when that entry is missing or not an IP.
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_conn_man/headers#x-forwarded-for
 */
export function remoteIp(peer: string, receivedXff: string | undefined, useRemoteAddress: boolean, trustedHops: number): string {
  if (useRemoteAddress && trustedHops === 0) return peer;
  if (!receivedXff) return peer;
  const entries = receivedXff.split(',').map((s) => s.trim());
  const skip = useRemoteAddress ? trustedHops - 1 : trustedHops;
  const candidate = entries[entries.length - 1 - skip];
  return candidate !== undefined && parseIp(candidate) ? candidate : peer;
}
