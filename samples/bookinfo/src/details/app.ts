// details: static book details, as Istio's details service (details.rb).
import type { RequestListener } from 'node:http';
import { Router, parseId, sendJson } from '../lib/http';

export interface BookDetails {
  readonly id: number;
  readonly author: string;
  readonly year: number;
  readonly type: string;
  readonly pages: number;
  readonly publisher: string;
  readonly language: string;
  readonly 'ISBN-10': string;
  readonly 'ISBN-13': string;
}

export function bookDetails(id: number): BookDetails {
  return {
    id,
    author: 'William Shakespeare',
    year: 1595,
    type: 'paperback',
    pages: 200,
    publisher: 'PublisherA',
    language: 'English',
    'ISBN-10': '1234567890',
    'ISBN-13': '123-1234567890',
  };
}

export function createDetailsListener(): RequestListener {
  return new Router()
    .get('/health', ({ res }) => sendJson(res, 200, { status: 'Details is healthy' }))
    .get('/details/:id', ({ res, params }) => {
      const id = parseId(params.id);
      if (id === undefined) sendJson(res, 400, { error: 'please provide numeric product id' });
      else sendJson(res, 200, bookDetails(id));
    }).listener;
}
