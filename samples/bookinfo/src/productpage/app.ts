// productpage: the Bookinfo front end. Calls details and reviews (reviews calls ratings), renders
// the page, and exposes the JSON API the Bookinfo gateway routes (/api/v1/products...).
import type { IncomingMessage, RequestListener } from 'node:http';
import { Router, parseId, readBody, redirect, send, sendHtml, sendJson, sendText } from '../lib/http';
import { getJson, propagatedHeaders, type UpstreamResult } from '../lib/upstream';
import type { ProductPageConfig } from './config';
import { PRODUCTS, parseDetails, parseReviews, type Fetched } from './model';
import { STYLESHEET, renderIndex, renderPage, renderProductPage } from './page';
import { currentUser, loginCookie, logoutCookie, returnPath, validUserName } from './session';

const UNAVAILABLE: Readonly<Record<'details' | 'reviews' | 'ratings', string>> = {
  details: 'Sorry, product details are currently unavailable for this book.',
  reviews: 'Sorry, product reviews are currently unavailable for this book.',
  ratings: 'Sorry, product ratings are currently unavailable for this book.',
};

/** Headers for upstream calls: the propagated tracing/context headers plus `end-user`. */
export function forwardHeaders(req: IncomingMessage): Record<string, string> {
  const headers = propagatedHeaders(req);
  const user = currentUser(req);
  if (user) headers['end-user'] = user;
  return headers;
}

class Upstreams {
  constructor(private readonly config: ProductPageConfig) {}

  details(id: number, headers: Record<string, string>): Promise<UpstreamResult> {
    return getJson(`${this.config.detailsUrl}/details/${id}`, { headers, timeoutMs: this.config.timeoutMs });
  }

  async reviews(id: number, headers: Record<string, string>): Promise<UpstreamResult> {
    let result: UpstreamResult = { ok: false, status: 500, error: 'reviews not called' };
    for (let attempt = 0; attempt < Math.max(1, this.config.reviewsAttempts); attempt++) {
      result = await getJson(`${this.config.reviewsUrl}/reviews/${id}`, { headers, timeoutMs: this.config.timeoutMs });
      if (result.ok) break;
    }
    return result;
  }

  ratings(id: number, headers: Record<string, string>): Promise<UpstreamResult> {
    return getJson(`${this.config.ratingsUrl}/ratings/${id}`, { headers, timeoutMs: this.config.timeoutMs });
  }
}

function parsed<T>(result: UpstreamResult, parse: (body: unknown) => T | undefined, what: string): Fetched<T> {
  if (!result.ok) {
    process.stderr.write(`${what} call failed: ${result.error}\n`);
    return { ok: false, status: result.status };
  }
  const value = parse(result.body);
  if (value === undefined) {
    process.stderr.write(`${what} answered an unexpected body\n`);
    return { ok: false, status: 502 };
  }
  return { ok: true, value };
}

/** JSON API answer: the upstream body and status, or Istio's "unavailable" error with the status. */
function relay(what: keyof typeof UNAVAILABLE, result: UpstreamResult): [number, unknown] {
  return result.ok ? [200, result.body] : [result.status, { error: UNAVAILABLE[what] }];
}

export function createProductPageListener(config: ProductPageConfig): RequestListener {
  const upstreams = new Upstreams(config);
  const services: readonly (readonly [string, string])[] = [
    ['details', config.detailsUrl],
    ['reviews', config.reviewsUrl],
    ['ratings', config.ratingsUrl],
  ];

  const login = (req: IncomingMessage, user: string | undefined, res: Parameters<typeof redirect>[0]): void => {
    if (!user) sendText(res, 400, 'a user name (1-64 visible characters) is required\n');
    else redirect(res, returnPath(req), { 'set-cookie': loginCookie(user) });
  };

  return new Router()
    .get('/', ({ res }) => sendHtml(res, 200, renderIndex(services)))
    .get('/index.html', ({ res }) => sendHtml(res, 200, renderIndex(services)))
    .get('/health', ({ res }) => sendText(res, 200, 'Product page is healthy'))
    .get('/static/bookinfo.css', ({ res }) => send(res, 200, 'text/css; charset=utf-8', STYLESHEET))
    .get('/productpage', async ({ req, res }) => {
      const product = PRODUCTS[0];
      const headers = forwardHeaders(req);
      const [details, reviews] = await Promise.all([
        upstreams.details(product.id, headers),
        upstreams.reviews(product.id, headers),
      ]);
      const html = renderProductPage({
        product,
        user: currentUser(req),
        details: parsed(details, parseDetails, 'details'),
        reviews: parsed(reviews, parseReviews, 'reviews'),
      });
      sendHtml(res, 200, html);
    })
    .get('/login', ({ req, res, query }) => {
      const raw = query.get('user') ?? query.get('username');
      if (raw === null) {
        const form = `<form method="post" action="/login"><input name="username" placeholder="User Name"><button type="submit">Sign in</button></form>`;
        sendHtml(res, 200, renderPage('Sign in', form, undefined));
        return;
      }
      login(req, validUserName(raw), res);
    })
    .post('/login', async ({ req, res }) => {
      const form = new URLSearchParams(await readBody(req));
      login(req, validUserName(form.get('username') ?? form.get('user')), res);
    })
    .get('/logout', ({ req, res }) => redirect(res, returnPath(req), { 'set-cookie': logoutCookie() }))
    .get('/api/v1/products', ({ res }) =>
      sendJson(res, 200, PRODUCTS.map(({ id, title, descriptionHtml }) => ({ id, title, descriptionHtml }))),
    )
    .get('/api/v1/products/:id', async ({ req, res, params }) => {
      const id = parseId(params.id);
      if (id === undefined) return sendJson(res, 400, { error: 'please provide numeric product id' });
      sendJson(res, ...relay('details', await upstreams.details(id, forwardHeaders(req))));
    })
    .get('/api/v1/products/:id/reviews', async ({ req, res, params }) => {
      const id = parseId(params.id);
      if (id === undefined) return sendJson(res, 400, { error: 'please provide numeric product id' });
      sendJson(res, ...relay('reviews', await upstreams.reviews(id, forwardHeaders(req))));
    })
    .get('/api/v1/products/:id/ratings', async ({ req, res, params }) => {
      const id = parseId(params.id);
      if (id === undefined) return sendJson(res, 400, { error: 'please provide numeric product id' });
      sendJson(res, ...relay('ratings', await upstreams.ratings(id, forwardHeaders(req))));
    }).listener;
}
