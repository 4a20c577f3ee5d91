import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { ConnectionInfo } from '../net/connection';

/**
 * What the connection manager uses of a downstream request, the body read by iterating it: node's
 * HTTP/1.1 IncomingMessage and H2DownstreamRequest (h2/downstream-request.ts) both fit.
 */
export interface DownstreamRequest extends AsyncIterable<Buffer> {
  readonly headers: IncomingHttpHeaders;
  readonly method?: string;
  readonly url?: string;
  readonly httpVersion: string;
}

/**
 * What the proxy uses of a downstream response, a sink the upstream body is piped into: node's
 * ServerResponse and H2DownstreamResponse (h2/downstream-response.ts) both fit. Emits `finish`
 * once the response is complete and `close` when the stream is gone.
 */
export interface DownstreamResponse extends NodeJS.WritableStream {
  readonly headersSent: boolean;
  readonly writableFinished: boolean;
  statusCode: number;
  writeHead(statusCode: number, headers?: OutgoingHttpHeaders): this;
  setHeader(name: string, value: number | string | readonly string[]): unknown;
  getHeader(name: string): number | string | string[] | undefined;
  addTrailers(trailers: OutgoingHttpHeaders): void;
  /** Resets the stream (HTTP/2) or closes the connection (HTTP/1.1). */
  destroy(error?: Error): void;
}

/** The downstream connection a request arrived on. */
export interface DownstreamConnection extends ConnectionInfo {
  /** `HTTP/1.1` or `HTTP/2` (as Envoy's %PROTOCOL% prints it). */
  protocol: 'HTTP/1.1' | 'HTTP/2';
}

/** One request as a codec hands it to the connection manager. */
export interface DownstreamStream {
  conn: DownstreamConnection;
  req: DownstreamRequest;
  res: DownstreamResponse;
  /**
   * Whether a request body follows the headers: HTTP/1.1 framing headers, or for HTTP/2 whether
   * the HEADERS frame lacked END_STREAM.
   */
  hasBody: boolean;
}

/** HTTP/1.1 framing: a request has a body iff it declares a length or a transfer coding. */
export function http1HasBody(headers: IncomingHttpHeaders): boolean {
  const len = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (len !== undefined && len !== '0');
}
