import { afterEach, describe, expect, it } from 'vitest';
import { fetch } from 'undici';
import { startBookinfo, type Bookinfo } from '../testing/harness';

let app: Bookinfo | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function page(bookinfo: Bookinfo, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${bookinfo.productpage.url}/productpage`, { headers });
  expect(res.status).toBe(200);
  return res.text();
}

/** `[color, stars]` of every rendered rating, in page order. */
function ratings(html: string): [string, number][] {
  return [...html.matchAll(/<font color="(\w+)" data-stars="(\d)">([★☆]+)<\/font>/g)].map((m) => {
    expect(m[3]).toBe('★'.repeat(Number(m[2])) + '☆'.repeat(5 - Number(m[2])));
    return [m[1], Number(m[2])];
  });
}

describe('productpage with each reviews version', () => {
  it('v1: reviews without stars, and ratings is never called', async () => {
    app = await startBookinfo({ reviewsVersion: 'v1' });
    const html = await page(app);
    expect(html).toContain('<div class="reviews" data-reviews-version="v1" data-reviews-status="200">');
    expect(html).toContain('Reviews served by: <u>reviews-v1-');
    expect(html).toContain('An extremely entertaining play by Shakespeare.');
    expect(ratings(html)).toEqual([]);
    expect(app.ratingsRequests).toHaveLength(0);
    expect(html).toContain('<dt>ISBN-10:</dt><dd>1234567890</dd>');
  });

  it('v2: black stars (5 and 4)', async () => {
    app = await startBookinfo({ reviewsVersion: 'v2' });
    const html = await page(app);
    expect(html).toContain('data-reviews-version="v2"');
    expect(html).toContain('Reviews served by: <u>reviews-v2-');
    expect(ratings(html)).toEqual([
      ['black', 5],
      ['black', 4],
    ]);
  });

  it('v3: red stars (5 and 4)', async () => {
    app = await startBookinfo({ reviewsVersion: 'v3' });
    const html = await page(app);
    expect(html).toContain('data-reviews-version="v3"');
    expect(ratings(html)).toEqual([
      ['red', 5],
      ['red', 4],
    ]);
  });
});

describe('productpage users and header propagation', () => {
  it('logs in with ?user=, forwards end-user to reviews and ratings, and logs out', async () => {
    app = await startBookinfo({ reviewsVersion: 'v2' });
    const login = await fetch(`${app.productpage.url}/login?user=jason`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/productpage');
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^user=jason;/);

    const html = await page(app, { cookie: 'user=jason' });
    expect(html).toContain('Signed in as <b class="user">jason</b>');
    expect(app.reviewsRequests.at(-1)?.headers['end-user']).toBe('jason');
    expect(app.ratingsRequests.at(-1)?.headers['end-user']).toBe('jason');

    const logout = await fetch(`${app.productpage.url}/logout`, { redirect: 'manual' });
    expect(logout.status).toBe(302);
    expect(logout.headers.get('set-cookie')).toMatch(/^user=; .*Max-Age=0/);
  });

  it('logs in with a POSTed form and returns to the referring page', async () => {
    app = await startBookinfo({ reviewsVersion: 'v1' });
    const res = await fetch(`${app.productpage.url}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', referer: 'http://bookinfo.example/productpage?u=1' },
      body: 'username=jason&passwd=x',
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/productpage?u=1');
    expect(res.headers.get('set-cookie')).toMatch(/^user=jason;/);
  });

  it('rejects an empty user name', async () => {
    app = await startBookinfo({ reviewsVersion: 'v1' });
    const res = await fetch(`${app.productpage.url}/login?user=`, { redirect: 'manual' });
    expect(res.status).toBe(400);
  });

  it('honours an incoming end-user header and sends no end-user when anonymous', async () => {
    app = await startBookinfo({ reviewsVersion: 'v1' });
    await page(app);
    expect(app.reviewsRequests.at(-1)?.headers['end-user']).toBeUndefined();
    await page(app, { 'end-user': 'jason' });
    expect(app.reviewsRequests.at(-1)?.headers['end-user']).toBe('jason');
  });

  it('propagates tracing headers through productpage and reviews to ratings', async () => {
    app = await startBookinfo({ reviewsVersion: 'v3' });
    const tracing = {
      'x-request-id': 'req-1',
      'x-b3-traceid': '80f198ee56343ba864fe8b2a57d3eff7',
      'x-b3-spanid': 'e457b5a2e4d86bd1',
      'x-b3-sampled': '1',
      traceparent: '00-80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-01',
    };
    await page(app, tracing);
    for (const requests of [app.detailsRequests, app.reviewsRequests, app.ratingsRequests]) {
      expect(requests.at(-1)?.headers).toMatchObject(tracing);
    }
  });
});

describe('productpage when a service fails', () => {
  it('shows ratings as unavailable when ratings is down', async () => {
    app = await startBookinfo({ reviewsVersion: 'v2', down: ['ratings'] });
    const html = await page(app);
    expect(html).toContain('data-reviews-version="v2"');
    expect(html.match(/Ratings service is currently unavailable/g)).toHaveLength(2);
    expect(ratings(html)).toEqual([]);
  });

  it('shows a reviews error with its status when reviews is down', async () => {
    app = await startBookinfo({ reviewsVersion: 'v1', down: ['reviews'] });
    const html = await page(app);
    expect(html).toContain('Error fetching product reviews!');
    expect(html).toContain('Sorry, product reviews are currently unavailable for this book.');
    expect(html).toContain('data-reviews-status="503"');
    expect(html).toContain('Status: 503');
    expect(html).toContain('data-details-status="200"');
  });

  it('tries reviews twice, as Istio\'s productpage does, and shows the upstream status', async () => {
    app = await startBookinfo({
      reviewsVersion: 'v1',
      replace: { reviews: (_req, res) => res.writeHead(500).end('fault filter abort') },
    });
    const html = await page(app);
    expect(html).toContain('Error fetching product reviews!');
    expect(html).toContain('Status: 500');
    expect(app.reviewsRequests).toHaveLength(2);
  });

  it('shows a details error when details is down', async () => {
    app = await startBookinfo({ reviewsVersion: 'v1', down: ['details'] });
    const html = await page(app);
    expect(html).toContain('Error fetching product details!');
    expect(html).toContain('data-details-status="503"');
    expect(html).toContain('data-reviews-version="v1"');
  });
});

describe('productpage API and health', () => {
  it('serves the products API from details and reviews', async () => {
    app = await startBookinfo({ reviewsVersion: 'v3' });
    const base = `${app.productpage.url}/api/v1/products`;
    const products = (await (await fetch(base)).json()) as { id: number; title: string }[];
    expect(products).toEqual([expect.objectContaining({ id: 0, title: 'The Comedy of Errors' })]);
    expect(await (await fetch(`${base}/0`)).json()).toMatchObject({ id: 0, author: 'William Shakespeare' });
    expect(await (await fetch(`${base}/0/reviews`)).json()).toMatchObject({
      version: 'v3',
      reviews: [{ reviewer: 'Reviewer1', rating: { stars: 5, color: 'red' } }, { reviewer: 'Reviewer2' }],
    });
    expect((await fetch(`${base}/x`)).status).toBe(400);
    const css = await fetch(`${app.productpage.url}/static/bookinfo.css`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    const health = await fetch(`${app.productpage.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('Product page is healthy');
  });

  it('relays an upstream failure status with an error body', async () => {
    app = await startBookinfo({ reviewsVersion: 'v1', down: ['details'] });
    const res = await fetch(`${app.productpage.url}/api/v1/products/0`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: 'Sorry, product details are currently unavailable for this book.' });
  });
});
