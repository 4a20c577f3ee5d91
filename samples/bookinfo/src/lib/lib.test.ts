import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { fetch } from 'undici';
import { createDetailsListener } from '../details/app';
import { createRatingsListener } from '../ratings/app';
import { closedPort, recording, start, type Running } from '../testing/harness';
import { Router, sendJson } from './http';
import { createProxyDispatcher, listenAddressFromEnv } from './service';
import { getJson, serviceBaseUrl } from './upstream';

const running: Running[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});
async function serve(listener: http.RequestListener): Promise<Running> {
  const r = await start(listener);
  running.push(r);
  return r;
}

describe('environment', () => {
  it('reads HOST and a required PORT', () => {
    expect(listenAddressFromEnv({ PORT: '9080' })).toEqual({ host: '127.0.0.1', port: 9080 });
    expect(listenAddressFromEnv({ HOST: '127.1.0.3', PORT: '19080' })).toEqual({ host: '127.1.0.3', port: 19080 });
    expect(() => listenAddressFromEnv({})).toThrow('PORT is required');
    expect(() => listenAddressFromEnv({ PORT: 'http' })).toThrow(/PORT must be/);
  });

  it('builds upstream URLs like Istio\'s sample', () => {
    expect(serviceBaseUrl({}, 'reviews')).toBe('http://reviews:9080');
    expect(serviceBaseUrl({ SERVICES_DOMAIN: 'default.svc.cluster.local' }, 'details')).toBe('http://details.default.svc.cluster.local:9080');
    expect(serviceBaseUrl({ RATINGS_HOSTNAME: '127.0.0.5', RATINGS_SERVICE_PORT: '19080' }, 'ratings')).toBe('http://127.0.0.5:19080');
  });
});

describe('getJson', () => {
  it('returns the parsed body, or the upstream status', async () => {
    const server = await serve(
      new Router()
        .get('/ok', ({ res }) => sendJson(res, 200, { a: 1 }))
        .get('/teapot', ({ res }) => sendJson(res, 418, {}))
        .get('/garbage', ({ res }) => {
          res.writeHead(200).end('not json');
        })
        .get('/slow', () => undefined).listener,
    );
    const opts = { headers: {}, timeoutMs: 200 };
    expect(await getJson(`${server.url}/ok`, opts)).toEqual({ ok: true, status: 200, body: { a: 1 } });
    expect(await getJson(`${server.url}/teapot`, opts)).toMatchObject({ ok: false, status: 418 });
    expect(await getJson(`${server.url}/garbage`, opts)).toMatchObject({ ok: false, status: 502 });
    expect(await getJson(`${server.url}/slow`, opts)).toMatchObject({ ok: false, status: 504 });
    expect(await getJson(`${(await closedPort()).url}/x`, opts)).toMatchObject({ ok: false, status: 503 });
  });
});

describe('outbound proxy', () => {
  it('sends plain-http requests to HTTP_PROXY in absolute form, keeping headers', async () => {
    const proxy = recording((_req, res) => sendJson(res, 200, { via: 'proxy' }));
    const proxyServer = await serve(proxy.listener);
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
    process.env.HTTP_PROXY = proxyServer.url;
    process.env.NO_PROXY = '';
    const dispatcher = createProxyDispatcher();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    try {
      const res = await fetch('http://reviews:9080/reviews/0', { dispatcher, headers: { 'end-user': 'jason' } });
      expect(await res.json()).toEqual({ via: 'proxy' });
      expect(proxy.requests).toEqual([
        expect.objectContaining({ url: 'http://reviews:9080/reviews/0', headers: expect.objectContaining({ host: 'reviews:9080', 'end-user': 'jason' }) }),
      ]);
    } finally {
      await dispatcher.close();
    }
  });
});

describe('details and ratings', () => {
  it('serve fixed data and health', async () => {
    const details = await serve(createDetailsListener());
    const ratings = await serve(createRatingsListener());
    expect(await (await fetch(`${details.url}/details/3`)).json()).toMatchObject({ id: 3, author: 'William Shakespeare', 'ISBN-13': '123-1234567890' });
    expect(await (await fetch(`${ratings.url}/ratings/0`)).json()).toEqual({ id: 0, ratings: { Reviewer1: 5, Reviewer2: 4 } });
    expect((await fetch(`${ratings.url}/ratings/x`)).status).toBe(400);
    expect(await (await fetch(`${details.url}/health`)).json()).toEqual({ status: 'Details is healthy' });
    expect(await (await fetch(`${ratings.url}/health`)).json()).toEqual({ status: 'Ratings is healthy' });
  });
});
