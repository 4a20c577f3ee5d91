import { createDetailsListener } from './details/app';
import { runService } from './lib/service';

runService(() => createDetailsListener());
