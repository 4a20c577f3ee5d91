import { type StreamInfo, formatFlags } from './stream-info';

export type AccessLogSink = (line: string) => void;

const q = (v: string | undefined): string => `"${v ?? '-'}"`;
const dash = (v: string | number | undefined): string => (v === undefined || v === '' ? '-' : String(v));

/**
 * Envoy's default access log format:
 * `[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE%
 * %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%
 * "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"`
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage#default-format-string
 */
export function formatAccessLog(s: StreamInfo, endMs: number): string {
  return (
    `[${s.startTime.toISOString()}] "${s.method} ${s.path} ${s.protocol}" ${s.status ?? 0} ${formatFlags(s.flags)} ` +
    `${s.bytesReceived} ${s.bytesSent} ${Math.max(0, Math.round(endMs - s.startMs))} ${dash(s.upstreamServiceTimeMs)} ` +
    `${q(s.forwardedFor)} ${q(s.userAgent)} ${q(s.requestId)} ${q(s.authority)} ${q(s.upstreamHost)}`
  );
}

export const stdoutSink: AccessLogSink = (line) => {
  process.stdout.write(`${line}\n`);
};
