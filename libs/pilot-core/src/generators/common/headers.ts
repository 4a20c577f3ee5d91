import type { Headers } from '@mizzen/config-api';
import type { HeaderValueOption } from '@mizzen/xds-types';

export interface HeaderOps {
  requestHeadersToAdd?: HeaderValueOption[];
  requestHeadersToRemove?: string[];
  responseHeadersToAdd?: HeaderValueOption[];
  responseHeadersToRemove?: string[];
}

/**
 * Istio `headers` (request/response set/add/remove) -> Envoy header options. `set` overwrites,
 * `add` appends. https://istio.io/latest/docs/reference/config/networking/virtual-service/#Headers
 */
export function toHeaderOps(h: Headers | undefined): HeaderOps {
  if (!h) return {};
  const out: HeaderOps = {};
  const req = ops(h.request?.set, h.request?.add);
  if (req.length) out.requestHeadersToAdd = req;
  if (h.request?.remove?.length) out.requestHeadersToRemove = [...h.request.remove];
  const res = ops(h.response?.set, h.response?.add);
  if (res.length) out.responseHeadersToAdd = res;
  if (h.response?.remove?.length) out.responseHeadersToRemove = [...h.response.remove];
  return out;
}

function ops(set: Record<string, string> | undefined, add: Record<string, string> | undefined): HeaderValueOption[] {
  const out: HeaderValueOption[] = [];
  for (const [key, value] of Object.entries(set ?? {}).sort()) out.push({ header: { key, value }, appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD' });
  for (const [key, value] of Object.entries(add ?? {}).sort()) out.push({ header: { key, value }, appendAction: 'APPEND_IF_EXISTS_OR_ADD' });
  return out;
}
