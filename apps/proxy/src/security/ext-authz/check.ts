import type { ConnectionInfo } from '../../net/connection';
import type { RequestView } from '../../routing';
import type { DynamicMetadata } from '../metadata';

/** What the authorization service is asked about (the parts of AttributeContext Envoy fills). */
export interface CheckInput {
  view: RequestView;
  conn: ConnectionInfo;
  /** `HTTP/1.1` or `HTTP/2`. */
  protocol: string;
  metadata: DynamicMetadata;
  /** metadata_context_namespaces: which dynamic metadata namespaces to send. */
  namespaces: readonly string[];
  nowMs: number;
}

/** A header the service wants set, appended or removed on the request, or sent to the client. */
export interface HeaderChange {
  key: string;
  value: string;
  append: boolean;
}

export type CheckResult =
  | {
      kind: 'ok';
      /** Upstream request header changes (OkHttpResponse headers / allowed_upstream_headers). */
      headers: HeaderChange[];
      headersToRemove: string[];
      /** Added to the downstream response (OkHttpResponse response_headers_to_add). */
      responseHeaders: HeaderChange[];
      dynamicMetadata?: Record<string, unknown>;
    }
  | { kind: 'denied'; status: number; headers: HeaderChange[]; body: string; dynamicMetadata?: Record<string, unknown> }
  /** The service could not be asked or failed (5xx, transport error, timeout). */
  | { kind: 'error'; reason: string };

/** A client of one authorization service (HTTP or gRPC). */
export interface AuthzClient {
  check(input: CheckInput): Promise<CheckResult>;
}

/**
 * The request's headers as CheckRequest carries them (Envoy's CheckRequestUtils): lower-cased,
 * pseudo-headers included, repeated values joined with `,`.
 */
export function checkHeaders(view: RequestView): Record<string, string> {
  const out: Record<string, string> = { ':authority': view.authority, ':method': view.method, ':path': view.path, ':scheme': view.scheme };
  for (const [k, v] of Object.entries(view.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(',') : v;
  return out;
}
