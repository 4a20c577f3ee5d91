import type { ServerTLSSettings } from '../../common/messages/server-tls';

/**
 * Gateway messages in their YAML (protobuf JSON) form.
 * https://istio.io/latest/docs/reference/config/networking/gateway/
 */
export interface GatewaySpec {
  servers?: Server[];
  /** Labels of the gateway workloads (pods) this configuration applies to. */
  selector?: Record<string, string>;
}

export interface Server {
  port: Port;
  /** An IP or `unix://` socket to bind to. */
  bind?: string;
  /** `[namespace/]host`; the namespace selects which VirtualServices may bind. */
  hosts: string[];
  tls?: ServerTLSSettings;
  defaultEndpoint?: string;
  name?: string;
}

/** Istio `Port`: a listener port. `protocol` is one of HTTP, HTTPS, GRPC, GRPC-WEB, HTTP2, MONGO, TCP, TLS. */
export interface Port {
  number: number;
  protocol: string;
  name: string;
  /** @deprecated Has no effect on Gateways. */
  targetPort?: number;
}
