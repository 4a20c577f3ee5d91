import http2 from 'node:http2';
import type { HeaderMap } from '../http/headers';
import { readableBody } from '../http/response-body';
import { type AttemptRequest, type AttemptResult, type RawHeaders, classifyError } from '../http/upstream-response';
import type { H2ClientPool } from './h2-client-pool';

/** Request headers as HTTP/2 carries them: pseudo-headers first, `host` becomes `:authority`. */
export function h2RequestHeaders(method: string, path: string, headers: HeaderMap): http2.OutgoingHttpHeaders {
  const out: http2.OutgoingHttpHeaders = { ':method': method, ':path': path, ':scheme': 'http' };
  for (const [k, v] of Object.entries(headers)) {
    if (k === 'host') out[':authority'] = Array.isArray(v) ? v[0] : v;
    else out[k] = v;
  }
  return out;
}

/** A stream reset by the peer or closed before its response headers. */
function resetBeforeHeaders(stream: http2.ClientHttp2Stream): Error {
  return Object.assign(new Error(`stream closed before response headers (RST_STREAM code ${stream.rstCode ?? 0})`), { code: stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM ? 'REFUSED_STREAM' : 'ERR_HTTP2_STREAM_RESET' });
}

/**
 * One request over HTTP/2 (h2c): a stream on one of the host's sessions. Resolves at the
 * response headers with the stream as the body; trailers (gRPC status) are collected when they
 * arrive; an `abort` from the router cancels the stream (RST_STREAM CANCEL).
 */
export async function sendH2Attempt(pool: H2ClientPool, a: AttemptRequest): Promise<AttemptResult> {
  let stream: http2.ClientHttp2Stream;
  try {
    stream = await pool.request(h2RequestHeaders(a.method, a.path, a.headers), !a.body);
  } catch (err) {
    return classifyError(err, a.aborted());
  }
  const cancel = (): void => void stream.close(http2.constants.NGHTTP2_CANCEL);
  a.signal.once('abort', cancel);
  stream.on('error', () => undefined);
  stream.once('close', () => a.signal.off('abort', cancel));
  if (a.body) {
    a.body.on('error', cancel);
    // Corked for the rest of this event-loop turn: a body that ends by then reaches the stream as
    // one writev with `end` in the same tick, and node sets END_STREAM on its last DATA frame
    // rather than sending an empty DATA frame from a later write.
    stream.cork();
    setImmediate(() => stream.uncork());
    a.body.pipe(stream);
  }
  const trailers: RawHeaders = {};
  stream.once('trailers', (t: http2.IncomingHttpHeaders) => Object.assign(trailers, t));
  return new Promise<AttemptResult>((resolve) => {
    const onClose = (): void => resolve(classifyError(resetBeforeHeaders(stream), a.aborted()));
    stream.once('close', onClose);
    stream.once('response', (headers: http2.IncomingHttpHeaders & http2.IncomingHttpStatusHeader, flags: number) => {
      stream.off('close', onClose);
      const headersOnly = (flags & http2.constants.NGHTTP2_FLAG_END_STREAM) !== 0;
      const dump = (): Promise<void> =>
        new Promise((done) => {
          if (stream.readableEnded || stream.destroyed) return done();
          stream.once('close', () => done());
          stream.resume();
        });
      resolve({ kind: 'response', data: { statusCode: Number(headers[':status'] ?? 0), headers, body: readableBody(stream), trailers, headersOnly, dump } });
    });
  });
}
