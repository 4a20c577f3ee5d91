// reviews: two fixed reviews of a book; v2/v3 decorate each with its star rating from ratings.
// Mirrors Istio's reviews service (LibertyRestEndpoint.java), including its JSON shape.
import type { RequestListener } from 'node:http';
import { Router, parseId, sendJson } from '../lib/http';
import { getJson, propagatedHeaders } from '../lib/upstream';
import type { RatingsClientConfig, ReviewsConfig, ReviewsVersion } from './config';

export type Rating = { readonly stars: number; readonly color: string } | { readonly error: string };

export interface Review {
  readonly reviewer: string;
  readonly text: string;
  readonly rating?: Rating;
}

export interface ReviewsResponse {
  readonly id: string;
  readonly podname: string;
  readonly clustername?: string;
  readonly version: ReviewsVersion;
  readonly reviews: readonly Review[];
}

export const RATINGS_UNAVAILABLE = 'Ratings service is currently unavailable';

const REVIEWS: readonly Omit<Review, 'rating'>[] = [
  {
    reviewer: 'Reviewer1',
    text: 'An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!',
  },
  {
    reviewer: 'Reviewer2',
    text: 'Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare.',
  },
];

/** Stars per reviewer from a ratings answer; reviewers without a numeric rating are left out. */
export function starsByReviewer(body: unknown): ReadonlyMap<string, number> {
  const stars = new Map<string, number>();
  if (typeof body !== 'object' || body === null || !('ratings' in body)) return stars;
  const ratings = body.ratings;
  if (typeof ratings !== 'object' || ratings === null) return stars;
  for (const [reviewer, value] of Object.entries(ratings)) {
    if (typeof value === 'number' && Number.isFinite(value)) stars.set(reviewer, value);
  }
  return stars;
}

export function buildReviews(
  id: number,
  config: ReviewsConfig,
  stars: ReadonlyMap<string, number> = new Map(),
): ReviewsResponse {
  const reviews = REVIEWS.map((review): Review => {
    if (!config.ratings) return review;
    const count = stars.get(review.reviewer);
    return {
      ...review,
      rating: count === undefined ? { error: RATINGS_UNAVAILABLE } : { stars: count, color: config.ratings.starColor },
    };
  });
  return {
    id: String(id),
    podname: config.podName,
    ...(config.clusterName ? { clustername: config.clusterName } : {}),
    version: config.version,
    reviews,
  };
}

async function fetchStars(
  client: RatingsClientConfig,
  id: number,
  headers: Record<string, string>,
): Promise<ReadonlyMap<string, number>> {
  const result = await getJson(`${client.baseUrl}/ratings/${id}`, { headers, timeoutMs: client.timeoutMs });
  if (!result.ok) {
    process.stderr.write(`ratings call failed: ${result.error}\n`);
    return new Map();
  }
  return starsByReviewer(result.body);
}

export function createReviewsListener(config: ReviewsConfig): RequestListener {
  return new Router()
    .get('/health', ({ res }) => sendJson(res, 200, { status: 'Reviews is healthy' }))
    .get('/reviews/:id', async ({ req, res, params }) => {
      const id = parseId(params.id);
      if (id === undefined) {
        sendJson(res, 400, { error: 'please provide numeric product id' });
        return;
      }
      const stars = config.ratings ? await fetchStars(config.ratings, id, propagatedHeaders(req)) : undefined;
      sendJson(res, 200, buildReviews(id, config, stars));
    }).listener;
}
