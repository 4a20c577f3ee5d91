// productpage's upstreams and timeouts, read once from the environment at startup.
import type { Env } from '../lib/service';
import { serviceBaseUrl } from '../lib/upstream';

export interface ProductPageConfig {
  readonly detailsUrl: string;
  readonly reviewsUrl: string;
  readonly ratingsUrl: string;
  /** Per-call timeout; Istio's productpage uses 3 s for every upstream. */
  readonly timeoutMs: number;
  /**
   * Istio's productpage tries reviews twice (a bug kept on purpose for the fault-injection task:
   * with a 7 s ratings delay, two 3 s attempts fail the page after about 6 s).
   */
  readonly reviewsAttempts: number;
}

export function productPageConfigFromEnv(env: Env): ProductPageConfig {
  return {
    detailsUrl: serviceBaseUrl(env, 'details'),
    reviewsUrl: serviceBaseUrl(env, 'reviews'),
    ratingsUrl: serviceBaseUrl(env, 'ratings'),
    timeoutMs: 3_000,
    reviewsAttempts: 2,
  };
}
