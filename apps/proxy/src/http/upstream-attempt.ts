import type { Dispatcher } from 'undici';
import { sendH2Attempt } from '../h2/h2-attempt';
import { Http1Exchange } from './http1-exchange';
import { type AttemptRequest, type AttemptResult, classifyError } from './upstream-response';

export { type AttemptRequest, type AttemptResult, type UpstreamResponse, classifyError } from './upstream-response';

/** HTTP/1.1 over the host's undici keep-alive pool, the body relayed without a Readable. */
async function sendHttp1Attempt(a: AttemptRequest): Promise<AttemptResult> {
  try {
    const data = await new Http1Exchange(a.signal).send(a.host.poolFor(a.downstream), { method: a.method as Dispatcher.HttpMethod, path: a.path, headers: a.headers, body: a.body });
    return { kind: 'response', data };
  } catch (err) {
    return classifyError(err, a.aborted());
  }
}

/**
 * One request to one upstream host; resolves at response headers. The body streams both ways:
 * the request body is piped as read, the response body is returned unread for the caller to pipe
 * downstream. HTTP/1.1 goes over the host's undici pool, HTTP/2 over its h2c sessions.
 */
export function sendAttempt(a: AttemptRequest): Promise<AttemptResult> {
  return a.protocol === 'http2' ? sendH2Attempt(a.host.h2For(a.downstream), a) : sendHttp1Attempt(a);
}
