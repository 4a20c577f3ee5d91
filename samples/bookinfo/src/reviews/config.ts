// Configuration of one reviews version, read once from the environment at startup.
// v1 never calls ratings; v2 shows black stars; v3 shows red stars (Istio's ENABLE_RATINGS and
// STAR_COLOR build arguments, chosen here by SERVICE_VERSION).
import type { Env } from '../lib/service';
import { serviceBaseUrl } from '../lib/upstream';

export type ReviewsVersion = 'v1' | 'v2' | 'v3';

export interface RatingsClientConfig {
  readonly baseUrl: string;
  readonly starColor: string;
  /** Istio's sample waits 10 s for ratings with black stars (v2) and 2.5 s with red ones (v3). */
  readonly timeoutMs: number;
}

export interface ReviewsConfig {
  readonly version: ReviewsVersion;
  readonly podName: string;
  readonly clusterName?: string;
  /** Absent for v1, which has no ratings. */
  readonly ratings?: RatingsClientConfig;
}

const STAR_COLORS: Readonly<Record<ReviewsVersion, string | undefined>> = { v1: undefined, v2: 'black', v3: 'red' };

function isVersion(value: string): value is ReviewsVersion {
  return value === 'v1' || value === 'v2' || value === 'v3';
}

export function reviewsConfigFromEnv(env: Env, pid: number = process.pid): ReviewsConfig {
  const rawVersion = env.SERVICE_VERSION?.trim() || 'v1';
  if (!isVersion(rawVersion)) throw new Error(`SERVICE_VERSION must be v1, v2 or v3, got "${rawVersion}"`);
  const version = rawVersion;
  const defaultColor = STAR_COLORS[version];
  const starColor = defaultColor && (env.STAR_COLOR?.trim() || defaultColor);
  return {
    version,
    podName: podName(env, version, pid),
    clusterName: env.CLUSTER_NAME?.trim() || undefined,
    ratings: starColor
      ? { baseUrl: serviceBaseUrl(env, 'ratings'), starColor, timeoutMs: starColor === 'black' ? 10_000 : 2_500 }
      : undefined,
  };
}

/**
 * POD_NAME, else HOSTNAME when it looks like a reviews pod (`reviews-v2-...`, as in Kubernetes),
 * else `reviews-<version>-<pid>`: a machine's own host name says nothing about the version.
 */
function podName(env: Env, version: ReviewsVersion, pid: number): string {
  const explicit = env.POD_NAME?.trim();
  if (explicit) return explicit;
  const hostname = env.HOSTNAME?.trim();
  if (hostname?.startsWith('reviews-')) return hostname;
  return `reviews-${version}-${pid}`;
}
