import type { HTTPFaultInjection } from '@mizzen/config-api';
import { type Any, TypeUrl } from '@mizzen/xds-types';
import { toDuration } from './durations';
import { percentToFraction } from './route-action';

/** gRPC status names (Istio's `abort.grpcStatus`) to codes. https://grpc.github.io/grpc/core/md_doc_statuscodes.html */
const GRPC_CODES: Record<string, number> = {
  OK: 0, CANCELLED: 1, UNKNOWN: 2, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, ABORTED: 10, OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14, DATA_LOSS: 15, UNAUTHENTICATED: 16,
};

export const FAULT_FILTER = 'envoy.filters.http.fault';

/**
 * VirtualService `fault` -> per-route config of Envoy's fault filter (HTTPFault).
 * A missing percentage means 100%, as Istio documents.
 */
export function toFaultConfig(f: HTTPFaultInjection | undefined): Any | undefined {
  if (!f || (!f.delay && !f.abort)) return undefined;
  const cfg: Any & Record<string, unknown> = { '@type': TypeUrl.HTTPFault };
  if (f.delay) {
    const pct = f.delay.percentage?.value ?? f.delay.percent ?? 100;
    cfg.delay = { fixedDelay: toDuration(f.delay.fixedDelay), percentage: percentToFraction(pct) };
  }
  if (f.abort) {
    const pct = f.abort.percentage?.value ?? 100;
    const abort: Record<string, unknown> = { percentage: percentToFraction(pct) };
    if (f.abort.httpStatus !== undefined) abort.httpStatus = f.abort.httpStatus;
    else if (f.abort.grpcStatus !== undefined) abort.grpcStatus = GRPC_CODES[f.abort.grpcStatus] ?? Number(f.abort.grpcStatus);
    cfg.abort = abort;
  }
  return cfg;
}
