import { runService } from './lib/service';
import { createReviewsListener } from './reviews/app';
import { reviewsConfigFromEnv } from './reviews/config';

runService((env) => createReviewsListener(reviewsConfigFromEnv(env)));
