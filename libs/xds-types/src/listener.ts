/** envoy.config.listener.v3 (LDS). */
import type { Address, CidrRange, Metadata, TrafficDirection, TransportSocket } from './core';
import type { Any, BoolValue, Duration, UInt32Value } from './wkt';

/** @proto envoy.config.listener.v3.Filter */
export interface Filter {
  name: string;
  typedConfig?: Any;
}

/** @proto envoy.config.listener.v3.FilterChainMatch */
export interface FilterChainMatch {
  destinationPort?: UInt32Value;
  prefixRanges?: CidrRange[];
  directSourcePrefixRanges?: CidrRange[];
  sourceType?: 'ANY' | 'SAME_IP_OR_LOOPBACK' | 'EXTERNAL';
  sourcePrefixRanges?: CidrRange[];
  sourcePorts?: number[];
  serverNames?: string[];
  /** 'raw_buffer' | 'tls' (set by the tls_inspector listener filter). */
  transportProtocol?: string;
  /** ALPN, e.g. 'istio-peer-exchange', 'istio', 'h2c', 'http/1.1'. */
  applicationProtocols?: string[];
}

/** @proto envoy.config.listener.v3.FilterChain */
export interface FilterChain {
  name?: string;
  filterChainMatch?: FilterChainMatch;
  filters: Filter[];
  transportSocket?: TransportSocket;
  transportSocketConnectTimeout?: Duration;
  metadata?: Metadata;
}

/** @proto envoy.config.listener.v3.ListenerFilter */
export interface ListenerFilter {
  name: string;
  typedConfig?: Any;
}

/** For proxyless gRPC clients: the HttpConnectionManager as an Any. @proto envoy.config.listener.v3.ApiListener */
export interface ApiListener {
  apiListener: Any;
}

/** @proto envoy.config.listener.v3.Listener */
export interface Listener {
  name: string;
  address?: Address;
  statPrefix?: string;
  filterChains?: FilterChain[];
  defaultFilterChain?: FilterChain;
  useOriginalDst?: BoolValue;
  metadata?: Metadata;
  drainType?: 'DEFAULT' | 'MODIFY_ONLY';
  listenerFilters?: ListenerFilter[];
  listenerFiltersTimeout?: Duration;
  continueOnListenerFiltersTimeout?: boolean;
  transparent?: BoolValue;
  freebind?: BoolValue;
  trafficDirection?: TrafficDirection;
  apiListener?: ApiListener;
  bindToPort?: BoolValue;
  perConnectionBufferLimitBytes?: UInt32Value;
}
