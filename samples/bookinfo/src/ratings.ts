import { runService } from './lib/service';
import { createRatingsListener } from './ratings/app';

runService(() => createRatingsListener());
