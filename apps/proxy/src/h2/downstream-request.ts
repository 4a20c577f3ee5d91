import type http2 from 'node:http2';
import type { DownstreamRequest } from '../http/downstream';

/**
 * An HTTP/2 request as the connection manager reads it: the HEADERS block (pseudo-headers
 * included, as node's compatibility API showed it) and the stream itself as the body.
 */
export class H2DownstreamRequest implements DownstreamRequest {
  readonly httpVersion = '2.0';

  constructor(
    readonly stream: http2.ServerHttp2Stream,
    readonly headers: http2.IncomingHttpHeaders,
  ) {}

  get method(): string | undefined {
    return this.headers[':method'];
  }

  get url(): string | undefined {
    return this.headers[':path'];
  }

  /** The body; an Http2Stream is not auto-destroyed, so reading it to its end leaves the response side open. */
  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this.stream[Symbol.asyncIterator]();
  }
}
