/** Largest JWKS or OpenID configuration document Pilot accepts. */
export const MAX_JWKS_DOCUMENT_BYTES = 1 << 20;

/** Fetches one document's text; rejects on a network error, a timeout or a non-2xx status. */
export type FetchDocument = (url: string, timeoutMs: number) => Promise<string>;

/**
 * GET `url` over HTTP(S) as Istio's jwks_resolver does (`getRemoteContentWithRetry`): a 2xx
 * status or an error naming the status and the start of the body, the whole exchange bounded by
 * `timeoutMs` (Istio: 5 s), redirects followed, HTTPS verified against Node's CAs (plus
 * NODE_EXTRA_CA_CERTS; Istio adds /cacerts/extra.pem). Bodies past 1 MiB are refused.
 */
export const fetchDocument: FetchDocument = async (url, timeoutMs) => {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  const body = await readCapped(res);
  if (res.status < 200 || res.status >= 300) throw new Error(`status ${res.status}, message ${JSON.stringify(body.slice(0, 100))}`);
  return body;
};

async function readCapped(res: Response): Promise<string> {
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_JWKS_DOCUMENT_BYTES) throw new Error(`response larger than ${MAX_JWKS_DOCUMENT_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
