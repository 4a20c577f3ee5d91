/** typed_config bodies of HTTP filters Mizzen generates. */
import type { FractionalPercent } from './core';
import type { HeaderMatcher } from './matcher';
import type { Duration, UInt32Value } from './wkt';

/** @proto envoy.extensions.filters.http.router.v3.Router */
export interface Router {
  dynamicStats?: { value: boolean };
  suppressEnvoyHeaders?: boolean;
  strictCheckHeaders?: string[];
  respectExpectedRqTimeout?: boolean;
}

/** One of fixedDelay | headerDelay. @proto envoy.extensions.filters.common.fault.v3.FaultDelay */
export interface FaultDelay {
  fixedDelay?: Duration;
  headerDelay?: Record<string, never>;
  percentage?: FractionalPercent;
}

/** One of httpStatus | grpcStatus | headerAbort. @proto envoy.extensions.filters.http.fault.v3.FaultAbort */
export interface FaultAbort {
  httpStatus?: number;
  grpcStatus?: number;
  headerAbort?: Record<string, never>;
  percentage?: FractionalPercent;
}

/** Also used as a route's typedPerFilterConfig. @proto envoy.extensions.filters.http.fault.v3.HTTPFault */
export interface HTTPFault {
  delay?: FaultDelay;
  abort?: FaultAbort;
  upstreamCluster?: string;
  headers?: HeaderMatcher[];
  downstreamNodes?: string[];
  maxActiveFaults?: UInt32Value;
}
