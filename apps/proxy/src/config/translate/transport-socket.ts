import type * as xds from '@mizzen/xds-types';
import type { TransportSpec } from '../model';
import { PLAINTEXT } from '../model';
import type { Issues } from './issues';

const RAW_BUFFER_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer';

/**
 * A transport socket: only `raw_buffer` (plaintext) for now. TLS configs are rejected so that a
 * control plane asking for mTLS learns it did not get it; TLS slots in behind TransportRegistry.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/core/v3/base.proto#config-core-v3-transportsocket
 */
export function transportSocket(t: xds.TransportSocket, path: string, issues: Issues, side: 'upstream' | 'downstream'): TransportSpec {
  const type = t.typedConfig?.['@type'];
  if (t.name.endsWith('raw_buffer') && (type === undefined || type === RAW_BUFFER_TYPE)) return PLAINTEXT;
  if (type === RAW_BUFFER_TYPE) return PLAINTEXT;
  issues.error(path, `${side} transport socket "${t.name}" (${type ?? 'no config'}) is not supported yet; only raw_buffer`);
  return PLAINTEXT;
}
