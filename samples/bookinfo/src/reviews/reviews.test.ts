import { afterEach, describe, expect, it } from 'vitest';
import { fetch } from 'undici';
import { createRatingsListener } from '../ratings/app';
import { closedPort, pointAt, recording, start, type Running } from '../testing/harness';
import { RATINGS_UNAVAILABLE, createReviewsListener } from './app';
import { reviewsConfigFromEnv } from './config';

describe('reviewsConfigFromEnv', () => {
  it('derives ratings and star colour from SERVICE_VERSION', () => {
    expect(reviewsConfigFromEnv({ SERVICE_VERSION: 'v1' }, 7)).toEqual({ version: 'v1', podName: 'reviews-v1-7', clusterName: undefined, ratings: undefined });
    expect(reviewsConfigFromEnv({ SERVICE_VERSION: 'v2' }, 7).ratings).toEqual({ baseUrl: 'http://ratings:9080', starColor: 'black', timeoutMs: 10_000 });
    expect(reviewsConfigFromEnv({ SERVICE_VERSION: 'v3', SERVICES_DOMAIN: 'default.svc.cluster.local' }, 7).ratings).toEqual({
      baseUrl: 'http://ratings.default.svc.cluster.local:9080',
      starColor: 'red',
      timeoutMs: 2_500,
    });
    expect(reviewsConfigFromEnv({}, 7).version).toBe('v1');
  });

  it('rejects an unknown version', () => {
    expect(() => reviewsConfigFromEnv({ SERVICE_VERSION: 'v4' })).toThrow(/SERVICE_VERSION must be v1, v2 or v3/);
  });

  it('names the pod from POD_NAME, a reviews HOSTNAME, or the version', () => {
    expect(reviewsConfigFromEnv({ SERVICE_VERSION: 'v2', POD_NAME: 'reviews-v2-abc', HOSTNAME: 'x' }).podName).toBe('reviews-v2-abc');
    expect(reviewsConfigFromEnv({ SERVICE_VERSION: 'v2', HOSTNAME: 'reviews-v2-5d8f' }).podName).toBe('reviews-v2-5d8f');
    expect(reviewsConfigFromEnv({ SERVICE_VERSION: 'v2', HOSTNAME: 'build-host' }, 42).podName).toBe('reviews-v2-42');
  });
});

describe('reviews service', () => {
  const running: Running[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((r) => r.close()));
  });
  const serve = async (...args: Parameters<typeof start>) => {
    const r = await start(...args);
    running.push(r);
    return r;
  };

  it('v1 answers two reviews without ratings', async () => {
    const reviews = await serve(createReviewsListener(reviewsConfigFromEnv({ SERVICE_VERSION: 'v1', POD_NAME: 'reviews-v1-a' })));
    const body = await (await fetch(`${reviews.url}/reviews/0`)).json();
    expect(body).toEqual({
      id: '0',
      podname: 'reviews-v1-a',
      version: 'v1',
      reviews: [
        { reviewer: 'Reviewer1', text: expect.any(String) },
        { reviewer: 'Reviewer2', text: expect.any(String) },
      ],
    });
  });

  it('v3 adds red ratings from ratings and propagates headers to it', async () => {
    const ratings = recording(createRatingsListener());
    const ratingsServer = await serve(ratings.listener);
    const reviews = await serve(createReviewsListener(reviewsConfigFromEnv({ SERVICE_VERSION: 'v3', ...pointAt('ratings', ratingsServer) })));
    const res = await fetch(`${reviews.url}/reviews/0`, { headers: { 'end-user': 'jason', 'x-request-id': 'r-1', 'x-unrelated': 'no' } });
    expect(await res.json()).toMatchObject({
      version: 'v3',
      reviews: [{ rating: { stars: 5, color: 'red' } }, { rating: { stars: 4, color: 'red' } }],
    });
    expect(ratings.requests).toHaveLength(1);
    expect(ratings.requests[0].url).toBe('/ratings/0');
    expect(ratings.requests[0].headers).toMatchObject({ 'end-user': 'jason', 'x-request-id': 'r-1' });
    expect(ratings.requests[0].headers['x-unrelated']).toBeUndefined();
  });

  it('v2 reports ratings as unavailable when ratings cannot be reached', async () => {
    const dead = await closedPort();
    const reviews = await serve(createReviewsListener(reviewsConfigFromEnv({ SERVICE_VERSION: 'v2', ...pointAt('ratings', dead) })));
    const body = await (await fetch(`${reviews.url}/reviews/0`)).json();
    expect(body).toMatchObject({
      reviews: [{ rating: { error: RATINGS_UNAVAILABLE } }, { rating: { error: RATINGS_UNAVAILABLE } }],
    });
  });

  it('answers health and rejects a non-numeric id', async () => {
    const reviews = await serve(createReviewsListener(reviewsConfigFromEnv({})));
    expect(await (await fetch(`${reviews.url}/health`)).json()).toEqual({ status: 'Reviews is healthy' });
    expect((await fetch(`${reviews.url}/reviews/abc`)).status).toBe(400);
    expect((await fetch(`${reviews.url}/nope`)).status).toBe(404);
  });
});
