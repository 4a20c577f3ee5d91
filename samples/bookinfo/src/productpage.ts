import { runService } from './lib/service';
import { createProductPageListener } from './productpage/app';
import { productPageConfigFromEnv } from './productpage/config';

runService((env) => createProductPageListener(productPageConfigFromEnv(env)));
