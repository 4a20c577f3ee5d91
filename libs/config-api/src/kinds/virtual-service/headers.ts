import { checkHeaderOperationName, checkHeaderValue, checkRequestSetHeaderName, isAuthorityHeader } from '../../common/checks/headers';
import type { Diagnostics } from '../../core/diagnostics';
import { keyPath } from '../../core/field-path';
import type { Headers, HTTPRewrite } from './types';

/**
 * Header manipulation (`headers.request`/`headers.response`) on a route or a destination: valid
 * names (no pseudo-headers; the authority may only be set on requests) and Envoy-valid values.
 * https://istio.io/latest/docs/reference/config/networking/virtual-service/#Headers
 */
export function validateHeaderOperations(d: Diagnostics, path: string, headers: Headers | undefined): void {
  if (!headers) return;
  const req = headers.request;
  const res = headers.response;
  for (const op of ['set', 'add'] as const) {
    for (const [name, value] of Object.entries(req?.[op] ?? {})) {
      const at = keyPath(`${path}.request.${op}`, name);
      d.errorIf(at, checkRequestSetHeaderName(name));
      d.errorIf(at, checkHeaderValue(value));
    }
    for (const [name, value] of Object.entries(res?.[op] ?? {})) {
      const at = keyPath(`${path}.response.${op}`, name);
      d.errorIf(at, checkHeaderOperationName(name));
      d.errorIf(at, checkHeaderValue(value));
    }
  }
  (req?.remove ?? []).forEach((name, i) => d.errorIf(`${path}.request.remove[${i}]`, checkHeaderOperationName(name)));
  (res?.remove ?? []).forEach((name, i) => d.errorIf(`${path}.response.remove[${i}]`, checkHeaderOperationName(name)));
}

/** Istio `validateAuthorityRewrite`: the authority may be rewritten in one place only. */
export function validateAuthorityRewrite(d: Diagnostics, path: string, rewrite: HTTPRewrite | undefined, headers: Headers | undefined): void {
  let current = rewrite?.authority ?? '';
  for (const op of ['set', 'add'] as const) {
    for (const [name, value] of Object.entries(headers?.request?.[op] ?? {})) {
      if (!isAuthorityHeader(name)) continue;
      if (current !== '') {
        d.error(keyPath(`${path}.headers.request.${op}`, name), `authority header cannot be set multiple times: have ${JSON.stringify(current)}, attempting to set ${JSON.stringify(value)}`);
        return;
      }
      current = value;
    }
  }
}
