// ratings: fixed star ratings per reviewer, as Istio's ratings service (ratings.js) without a DB.
import type { RequestListener } from 'node:http';
import { Router, parseId, sendJson } from '../lib/http';

export interface ProductRatings {
  readonly id: number;
  readonly ratings: Readonly<Record<string, number>>;
}

export function productRatings(id: number): ProductRatings {
  return { id, ratings: { Reviewer1: 5, Reviewer2: 4 } };
}

export function createRatingsListener(): RequestListener {
  return new Router()
    .get('/health', ({ res }) => sendJson(res, 200, { status: 'Ratings is healthy' }))
    .get('/ratings/:id', ({ res, params }) => {
      const id = parseId(params.id);
      if (id === undefined) sendJson(res, 400, { error: 'please provide numeric product ID' });
      else sendJson(res, 200, productRatings(id));
    }).listener;
}
