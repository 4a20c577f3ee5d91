// Calling other Bookinfo services: plain `http://<service>:9080/...` URLs built the way Istio's
// sample builds them, the tracing/context headers every hop must copy from its inbound request
// (https://istio.io/latest/docs/tasks/observability/distributed-tracing/overview/), and a GET with
// a timeout that never throws.
import type { IncomingMessage } from 'node:http';
import { fetch } from 'undici';
import type { Env } from './service';

/** Headers copied from the inbound request to every outbound call (as Istio's reviews sample). */
export const PROPAGATED_HEADERS: readonly string[] = [
  'x-request-id',
  'traceparent',
  'tracestate',
  'b3',
  'x-b3-traceid',
  'x-b3-spanid',
  'x-b3-parentspanid',
  'x-b3-sampled',
  'x-b3-flags',
  'x-ot-span-context',
  'x-cloud-trace-context',
  'grpc-trace-bin',
  'x-datadog-trace-id',
  'x-datadog-parent-id',
  'x-datadog-sampling-priority',
  'sw8',
  'end-user',
  'user-agent',
  'cookie',
  'authorization',
  'jwt',
];

export function propagatedHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PROPAGATED_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') out[name] = value;
    else if (Array.isArray(value)) out[name] = value.join(', ');
  }
  return out;
}

export type UpstreamService = 'details' | 'reviews' | 'ratings';

/**
 * `http://<NAME>_HOSTNAME[.SERVICES_DOMAIN]:<NAME>_SERVICE_PORT`, defaulting to
 * `http://<name>:9080` (the Kubernetes service name and Bookinfo's port).
 */
export function serviceBaseUrl(env: Env, service: UpstreamService): string {
  const prefix = service.toUpperCase();
  const hostname = env[`${prefix}_HOSTNAME`]?.trim() || service;
  const domain = env.SERVICES_DOMAIN?.trim() ? `.${env.SERVICES_DOMAIN.trim()}` : '';
  const port = env[`${prefix}_SERVICE_PORT`]?.trim() || '9080';
  return `http://${hostname}${domain}:${port}`;
}

export type UpstreamResult =
  | { readonly ok: true; readonly status: number; readonly body: unknown }
  | { readonly ok: false; readonly status: number; readonly error: string };

export interface GetOptions {
  readonly headers: Record<string, string>;
  readonly timeoutMs: number;
}

/**
 * GET a JSON resource. Non-2xx answers keep the upstream status; a timeout is reported as 504, a
 * connection failure as 503 and an unparsable body as 502, so callers can always show a status.
 */
export async function getJson(url: string, options: GetOptions): Promise<UpstreamResult> {
  try {
    const res = await fetch(url, {
      headers: { accept: 'application/json', ...options.headers },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await res.text();
    if (res.status < 200 || res.status > 299) {
      return { ok: false, status: res.status, error: `${url} answered ${res.status}` };
    }
    try {
      return { ok: true, status: res.status, body: JSON.parse(text) as unknown };
    } catch {
      return { ok: false, status: 502, error: `${url} answered with invalid JSON` };
    }
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      return { ok: false, status: 504, error: `${url} timed out after ${options.timeoutMs} ms` };
    }
    return { ok: false, status: 503, error: `${url} unreachable: ${describe(err)}` };
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}
