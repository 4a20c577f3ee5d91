// What productpage shows, parsed from the details and reviews answers ("parse, don't pass"):
// anything unexpected in an upstream body becomes a display error, never a crash.

export interface Product {
  readonly id: number;
  readonly title: string;
  /** Trusted, static HTML. */
  readonly descriptionHtml: string;
}

export const PRODUCTS: readonly Product[] = [
  {
    id: 0,
    title: 'The Comedy of Errors',
    descriptionHtml:
      '<a href="https://en.wikipedia.org/wiki/The_Comedy_of_Errors">Wikipedia Summary</a>: The Comedy of Errors is one of <b>William Shakespeare\'s</b> early plays. It is his shortest and one of his most farcical comedies, with a major part of the humour coming from slapstick and mistaken identity, in addition to puns and word play.',
  },
];

/** Label and value pairs, in display order. */
export type DetailsView = readonly (readonly [string, string])[];

export type RatingView = { readonly stars: number; readonly color: string } | { readonly error: string };

export interface ReviewView {
  readonly reviewer: string;
  readonly text: string;
  readonly rating?: RatingView;
}

export interface ReviewsView {
  readonly podname: string;
  /** `unknown` when the reviews service does not say (Istio's own reviews image does not). */
  readonly version: string;
  readonly reviews: readonly ReviewView[];
}

/** An upstream answer: parsed, or why not (with the HTTP status to show). */
export type Fetched<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly status: number };

const DETAIL_FIELDS: readonly (readonly [string, string])[] = [
  ['author', 'Author'],
  ['year', 'Year'],
  ['type', 'Type'],
  ['pages', 'Pages'],
  ['publisher', 'Publisher'],
  ['language', 'Language'],
  ['ISBN-10', 'ISBN-10'],
  ['ISBN-13', 'ISBN-13'],
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalar(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

export function parseDetails(body: unknown): DetailsView | undefined {
  if (!isRecord(body)) return undefined;
  const rows: [string, string][] = [];
  for (const [key, label] of DETAIL_FIELDS) {
    const value = scalar(body[key]);
    if (value !== undefined) rows.push([label, value]);
  }
  return rows.length > 0 ? rows : undefined;
}

function parseRating(value: unknown): RatingView | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value.stars === 'number' && Number.isFinite(value.stars)) {
    return { stars: value.stars, color: typeof value.color === 'string' ? value.color : 'black' };
  }
  if (typeof value.error === 'string') return { error: value.error };
  return undefined;
}

export function parseReviews(body: unknown): ReviewsView | undefined {
  if (!isRecord(body) || !Array.isArray(body.reviews)) return undefined;
  const reviews: ReviewView[] = [];
  for (const item of body.reviews) {
    if (!isRecord(item) || typeof item.reviewer !== 'string' || typeof item.text !== 'string') return undefined;
    const rating = parseRating(item.rating);
    reviews.push({ reviewer: item.reviewer, text: item.text, ...(rating ? { rating } : {}) });
  }
  return {
    podname: scalar(body.podname) ?? 'unknown',
    version: scalar(body.version) ?? 'unknown',
    reviews,
  };
}
