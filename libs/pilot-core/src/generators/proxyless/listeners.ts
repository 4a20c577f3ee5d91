import { TypeUrl, type XdsResource } from '@mizzen/xds-types';
import { grpcHttpFilters, hcmWithRds } from '../common/hcm';
import type { GenerationContext, Generator } from '../types';
import { proxylessServerListener, serverListeningAddress } from './server-listener';
import { resolveTarget } from './target';

/**
 * Proxyless gRPC LDS: for each requested target an API listener whose HCM points at RDS of the
 * same name (gRFC A27); for each server listener name (`grpc/server?xds.resource.listening_address=
 * IP:port`, gRFC A36) the server's listener with its RBAC. Unknown targets are omitted: the client
 * keeps waiting for resolution.
 */
export const proxylessListeners: Generator = {
  typeUrl: TypeUrl.Listener,
  generate({ snapshot, proxy, names }: GenerationContext): XdsResource[] {
    const out: XdsResource[] = [];
    for (const name of [...new Set(names ?? [])].sort()) {
      const server = serverListeningAddress(name);
      if (server) {
        out.push({ typeUrl: TypeUrl.Listener, name, body: proxylessServerListener(snapshot, proxy, name, server) });
        continue;
      }
      if (!resolveTarget(snapshot, name, proxy.namespace)) continue;
      const hcm = hcmWithRds(name, name, grpcHttpFilters());
      out.push({ typeUrl: TypeUrl.Listener, name, body: { name, apiListener: { apiListener: { '@type': TypeUrl.HttpConnectionManager, ...hcm } } } });
    }
    return out;
  },
};
