import type { BusLogger } from '@mizzen/bus';
import { Logger } from '@nestjs/common';

/** Routes the bus's log lines through Nest's logger (so `--log-level` applies to both). */
export function nestBusLogger(context = 'Bus'): BusLogger {
  const logger = new Logger(context);
  const fmt = (m: string, f?: Record<string, unknown>) => (f && Object.keys(f).length ? `${m} ${JSON.stringify(f)}` : m);
  return {
    debug: (m, f) => logger.debug(fmt(m, f)),
    info: (m, f) => logger.log(fmt(m, f)),
    warn: (m, f) => logger.warn(fmt(m, f)),
    error: (m, f) => logger.error(fmt(m, f)),
  };
}
