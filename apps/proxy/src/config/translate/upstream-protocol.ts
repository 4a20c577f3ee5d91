import type * as xds from '@mizzen/xds-types';
import { FilterName } from '@mizzen/xds-types';
import type { ClusterConfig, UpstreamProtocol } from '../model';
import { type Issues, at } from './issues';

/** Envoy's default SETTINGS_MAX_CONCURRENT_STREAMS (2^31 - 1). */
export const DEFAULT_MAX_CONCURRENT_STREAMS = 2147483647;

const OPTIONS_PATH = `typedExtensionProtocolOptions['${FilterName.HttpProtocolOptions}']`;

function maxStreams(o: xds.Http2ProtocolOptions | undefined, path: string, issues: Issues): number {
  const v = o?.maxConcurrentStreams?.value;
  if (v !== undefined && (v < 1 || v > DEFAULT_MAX_CONCURRENT_STREAMS)) issues.error(at(path, 'maxConcurrentStreams'), `must be in [1, ${DEFAULT_MAX_CONCURRENT_STREAMS}]`);
  return v ?? DEFAULT_MAX_CONCURRENT_STREAMS;
}

/**
 * Which HTTP codec the proxy uses towards the cluster, from what the control plane said, never
 * from traffic: `explicit_http_config.http2_protocol_options` (Istio's shape for GRPC / HTTP2
 * ports) or the deprecated Cluster.http2_protocol_options mean HTTP/2 (h2c, prior knowledge, on
 * plaintext); `use_downstream_protocol_config` follows each request's downstream protocol;
 * otherwise HTTP/1.1 (cluster.ts checks the options' type). `auto_config` needs ALPN, i.e. upstream TLS, which is not implemented: it is
 * rejected.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/extensions/upstreams/http/v3/http_protocol_options.proto
 */
export function upstreamProtocol(c: xds.Cluster, issues: Issues): Pick<ClusterConfig, 'protocol' | 'maxConcurrentStreams'> {
  const opts = c.typedExtensionProtocolOptions?.[FilterName.HttpProtocolOptions] as (xds.Any & xds.UpstreamHttpProtocolOptionsExtension) | undefined;
  const configs = (['explicitHttpConfig', 'useDownstreamProtocolConfig', 'autoConfig'] as const).filter((k) => opts?.[k] !== undefined);
  if (configs.length > 1) issues.error(OPTIONS_PATH, `only one of ${configs.join(', ')} may be set`);
  if (opts?.autoConfig) issues.error(at(OPTIONS_PATH, 'autoConfig'), 'ALPN protocol selection needs upstream TLS, which is not supported; use explicitHttpConfig');
  const explicit = opts?.explicitHttpConfig;
  if (explicit?.httpProtocolOptions && explicit.http2ProtocolOptions) issues.error(at(OPTIONS_PATH, 'explicitHttpConfig'), 'only one of httpProtocolOptions, http2ProtocolOptions may be set');
  let protocol: UpstreamProtocol = 'http1';
  let h2: xds.Http2ProtocolOptions | undefined;
  let path = '';
  if (explicit?.http2ProtocolOptions) [protocol, h2, path] = ['http2', explicit.http2ProtocolOptions, at(OPTIONS_PATH, 'explicitHttpConfig.http2ProtocolOptions')];
  else if (opts?.useDownstreamProtocolConfig) [protocol, h2, path] = ['downstream', opts.useDownstreamProtocolConfig.http2ProtocolOptions, at(OPTIONS_PATH, 'useDownstreamProtocolConfig.http2ProtocolOptions')];
  else if (c.http2ProtocolOptions && !explicit) [protocol, h2, path] = ['http2', c.http2ProtocolOptions, 'http2ProtocolOptions'];
  return { protocol, maxConcurrentStreams: maxStreams(h2, path, issues) };
}
