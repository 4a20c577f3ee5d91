// HTML of the Bookinfo product page. Pure functions of the view model.
//
// Machine-checkable markers (used by tests and by anyone checking routing through the mesh):
//   <div class="reviews" data-reviews-version="v2" data-reviews-status="200">  which reviews answered
//   <font color="black" data-stars="5">★★★★★</font>                            a rating (red for v3)
//   Reviews served by: reviews-v2-...                                           the reviews pod
//   <h4 class="error">Error fetching product reviews!</h4> ... Status: 503      a failed call
import { escapeHtml } from '../lib/html';
import type { DetailsView, Fetched, Product, RatingView, ReviewView, ReviewsView } from './model';

export interface ProductPageView {
  readonly product: Product;
  readonly user: string | undefined;
  readonly details: Fetched<DetailsView>;
  readonly reviews: Fetched<ReviewsView>;
}

/** Served at /static/bookinfo.css (the Bookinfo gateway routes the /static prefix to productpage). */
export const STYLESHEET = `
body { font-family: Helvetica, Arial, sans-serif; margin: 0; color: #222; }
nav { background: #222; color: #eee; padding: 10px 20px; display: flex; justify-content: space-between; }
nav a, nav button { color: #eee; }
main { padding: 0 20px; }
.columns { display: flex; gap: 40px; }
.columns > div { flex: 1; }
blockquote { border-left: 4px solid #ddd; margin: 12px 0; padding: 4px 12px; }
.error { color: #a00; }
`;

export function renderStars(stars: number, color: string): string {
  const full = Math.max(0, Math.min(5, Math.round(stars)));
  return `<font color="${escapeHtml(color)}" data-stars="${full}">${'★'.repeat(full)}${'☆'.repeat(5 - full)}</font>`;
}

function renderRating(rating: RatingView | undefined): string {
  if (!rating) return '';
  if ('error' in rating) return `<p class="rating-error"><i>${escapeHtml(rating.error)}</i></p>`;
  return `<p class="rating">${renderStars(rating.stars, rating.color)}</p>`;
}

function renderReview(review: ReviewView): string {
  return `<blockquote>
  <p>${escapeHtml(review.text)}</p>
  <small>${escapeHtml(review.reviewer)}</small>
  ${renderRating(review.rating)}
</blockquote>`;
}

function renderFailure(what: 'details' | 'reviews', status: number): string {
  return `<h4 class="error">Error fetching product ${what}!</h4>
<p>Sorry, product ${what} are currently unavailable for this book.</p>
<p class="status">Status: ${status}</p>`;
}

function renderDetails(details: Fetched<DetailsView>): string {
  if (!details.ok) return `<div class="details" data-details-status="${details.status}">${renderFailure('details', details.status)}</div>`;
  const rows = details.value.map(([label, value]) => `<dt>${escapeHtml(label)}:</dt><dd>${escapeHtml(value)}</dd>`);
  return `<div class="details" data-details-status="200">
<h4>Book Details</h4>
<dl>${rows.join('')}</dl>
</div>`;
}

function renderReviews(reviews: Fetched<ReviewsView>): string {
  if (!reviews.ok) return `<div class="reviews" data-reviews-status="${reviews.status}">${renderFailure('reviews', reviews.status)}</div>`;
  const { podname, version } = reviews.value;
  return `<div class="reviews" data-reviews-version="${escapeHtml(version)}" data-reviews-status="200">
<h4>Book Reviews</h4>
${reviews.value.reviews.map(renderReview).join('\n')}
<p>Reviews served by: <u>${escapeHtml(podname)}</u></p>
</div>`;
}

function renderUserBar(user: string | undefined): string {
  if (user) return `<span>Signed in as <b class="user">${escapeHtml(user)}</b> <a href="/logout">Sign out</a></span>`;
  return `<form method="post" action="/login">
<input name="username" placeholder="User Name" aria-label="User Name">
<input name="passwd" type="password" placeholder="Password" aria-label="Password">
<button type="submit">Sign in</button>
</form>`;
}

export function renderPage(title: string, body: string, user: string | undefined): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title><link rel="stylesheet" href="/static/bookinfo.css"></head>
<body>
<nav><a href="/productpage">BookInfo Sample</a>${renderUserBar(user)}</nav>
<main>
${body}
</main>
</body>
</html>
`;
}

export function renderProductPage(view: ProductPageView): string {
  const body = `<h2>${escapeHtml(view.product.title)}</h2>
<p class="summary">${view.product.descriptionHtml}</p>
<div class="columns">
<div>${renderDetails(view.details)}</div>
<div>${renderReviews(view.reviews)}</div>
</div>`;
  return renderPage('Simple Bookstore App', body, view.user);
}

export function renderIndex(services: readonly (readonly [string, string])[]): string {
  const rows = services.map(([name, url]) => `<tr><td>${escapeHtml(name)}</td><td>${escapeHtml(url)}</td></tr>`);
  const body = `<h2>Hello! This is a simple bookstore application consisting of four services</h2>
<p>Click on <a href="/productpage">Normal user</a> or <a href="/login?user=jason">Test user</a> to see the product page.</p>
<table><tr><th>Service</th><th>Address</th></tr>${rows.join('')}</table>`;
  return renderPage('Simple Bookstore App', body, undefined);
}
