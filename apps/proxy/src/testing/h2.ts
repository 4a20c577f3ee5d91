import http2 from 'node:http2';

export interface H2Response {
  headers: http2.IncomingHttpHeaders;
  body: string;
  trailers: http2.IncomingHttpHeaders;
  /** True when the response was a single HEADERS frame with END_STREAM (gRPC trailers-only). */
  headersOnly: boolean;
}

/** One request on an HTTP/2 session; collects headers, body and trailers. */
export function h2Request(session: http2.ClientHttp2Session, headers: http2.OutgoingHttpHeaders, body?: string | Buffer): Promise<H2Response> {
  return new Promise((resolve, reject) => {
    const stream = session.request(headers, { endStream: body === undefined });
    let resHeaders: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    let headersOnly = false;
    const chunks: Buffer[] = [];
    stream.on('response', (h, flags) => {
      resHeaders = h;
      headersOnly = (flags & http2.constants.NGHTTP2_FLAG_END_STREAM) !== 0;
    });
    stream.on('trailers', (t) => (trailers = t));
    stream.on('data', (d: Buffer) => chunks.push(d));
    stream.on('end', () => resolve({ headers: resHeaders, body: Buffer.concat(chunks).toString(), trailers, headersOnly }));
    stream.on('error', reject);
    if (body !== undefined) stream.end(body);
  });
}

/** An h2c (prior knowledge) or h2-over-TLS session. */
export function h2Connect(authority: string, opts: http2.SecureClientSessionOptions = {}): Promise<http2.ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const s = http2.connect(authority, opts);
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}
