// Test support: Bookinfo services started in-process on loopback ports, wired to each other with
// the same environment overrides a deployment would use (no proxy in between).
import type { IncomingHttpHeaders, RequestListener } from 'node:http';
import { createDetailsListener } from '../details/app';
import { listen, type Env } from '../lib/service';
import type { UpstreamService } from '../lib/upstream';
import { createProductPageListener } from '../productpage/app';
import { productPageConfigFromEnv } from '../productpage/config';
import { createRatingsListener } from '../ratings/app';
import { createReviewsListener } from '../reviews/app';
import { reviewsConfigFromEnv, type ReviewsVersion } from '../reviews/config';

export interface Running {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export async function start(listener: RequestListener, host = '127.0.0.1'): Promise<Running> {
  const { server, address } = await listen(listener, { host, port: 0 });
  return {
    host: address.host,
    port: address.port,
    url: `http://${address.host}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface Recorded {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** Wraps a listener so the test can see every request it received. */
export function recording(listener: RequestListener): { listener: RequestListener; requests: Recorded[] } {
  const requests: Recorded[] = [];
  return {
    requests,
    listener: (req, res) => {
      requests.push({ url: req.url ?? '', headers: { ...req.headers } });
      listener(req, res);
    },
  };
}

/** `<SERVICE>_HOSTNAME` / `<SERVICE>_SERVICE_PORT` pointing a client at a running service. */
export function pointAt(service: UpstreamService, target: Pick<Running, 'host' | 'port'>): Env {
  const prefix = service.toUpperCase();
  return { [`${prefix}_HOSTNAME`]: target.host, [`${prefix}_SERVICE_PORT`]: String(target.port) };
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<Running> {
  const running = await start((_req, res) => res.end());
  await running.close();
  return running;
}

export interface BookinfoOptions {
  readonly reviewsVersion: ReviewsVersion;
  /** Leave ratings (or reviews, or details) pointing at a closed port. */
  readonly down?: readonly UpstreamService[];
  /** Serve a service with this listener instead of the real one (still recorded). */
  readonly replace?: Partial<Record<UpstreamService, RequestListener>>;
}

export interface Bookinfo {
  readonly productpage: Running;
  readonly reviewsRequests: Recorded[];
  readonly ratingsRequests: Recorded[];
  readonly detailsRequests: Recorded[];
  close(): Promise<void>;
}

/** All four services; productpage → details, reviews (one version) → ratings. */
export async function startBookinfo(options: BookinfoOptions): Promise<Bookinfo> {
  const down = new Set(options.down ?? []);
  const dead = await closedPort();
  const started: Running[] = [];
  const run = async (service: UpstreamService, listener: RequestListener): Promise<Running> => {
    if (down.has(service)) return dead;
    const running = await start(listener);
    started.push(running);
    return running;
  };

  const recorded = (service: UpstreamService, listener: RequestListener) => recording(options.replace?.[service] ?? listener);
  const ratings = recorded('ratings', createRatingsListener());
  const ratingsServer = await run('ratings', ratings.listener);
  const details = recorded('details', createDetailsListener());
  const detailsServer = await run('details', details.listener);
  const reviewsConfig = reviewsConfigFromEnv({ SERVICE_VERSION: options.reviewsVersion, ...pointAt('ratings', ratingsServer) });
  const reviews = recorded('reviews', createReviewsListener(reviewsConfig));
  const reviewsServer = await run('reviews', reviews.listener);
  const productpage = await start(
    createProductPageListener(
      productPageConfigFromEnv({ ...pointAt('details', detailsServer), ...pointAt('reviews', reviewsServer) }),
    ),
  );
  started.push(productpage);
  return {
    productpage,
    reviewsRequests: reviews.requests,
    ratingsRequests: ratings.requests,
    detailsRequests: details.requests,
    close: async () => {
      await Promise.all(started.map((s) => s.close()));
    },
  };
}
