import type { ConnectionPoolSettings } from '../../common/messages/connection-pool';
import type { Destination } from '../../common/messages/destination';
import type { ServerTLSSettings } from '../../common/messages/server-tls';
import type { WorkloadSelector } from '../../common/messages/workload-selector';

/**
 * Sidecar messages in their YAML (protobuf JSON) form.
 * https://istio.io/latest/docs/reference/config/networking/sidecar/
 */
export interface SidecarSpec {
  workloadSelector?: WorkloadSelector;
  ingress?: IstioIngressListener[];
  egress?: IstioEgressListener[];
  inboundConnectionPool?: ConnectionPoolSettings;
  outboundTrafficPolicy?: OutboundTrafficPolicy;
}

export type CaptureMode = 'DEFAULT' | 'IPTABLES' | 'NONE';

/** Istio `SidecarPort`: number 0 with a `unix://` bind means a unix domain socket listener. */
export interface SidecarPort {
  number?: number;
  protocol?: string;
  name?: string;
  /** @deprecated Has no effect on Sidecars. */
  targetPort?: number;
}

export interface IstioIngressListener {
  port: SidecarPort;
  bind?: string;
  captureMode?: CaptureMode;
  /** `127.0.0.1:<port>`, `0.0.0.0:<port>`, `[::1]:<port>`, `[::]:<port>` or `unix:///path`. */
  defaultEndpoint?: string;
  tls?: ServerTLSSettings;
  connectionPool?: ConnectionPoolSettings;
}

export interface IstioEgressListener {
  /** Omitted for the catch-all listener, which must be last. */
  port?: SidecarPort;
  bind?: string;
  captureMode?: CaptureMode;
  /** `namespace/dnsName`: namespace may be `*`, `.` or `~`; dnsName an FQDN, `*.suffix` or `*`. */
  hosts: string[];
}

export interface OutboundTrafficPolicy {
  mode?: 'REGISTRY_ONLY' | 'ALLOW_ANY';
  /** Only with ALLOW_ANY: where traffic to unknown destinations goes. */
  egressProxy?: Destination;
}
