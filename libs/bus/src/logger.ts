export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** The bus logs through this; adapters plug in Nest's logger or anything else. */
export interface BusLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** A logger writing one line per message to stderr, at or above `level`. */
export function consoleLogger(level: LogLevel = 'info', name = 'bus'): BusLogger {
  const at = (l: Exclude<LogLevel, 'silent'>) => (message: string, fields?: Record<string, unknown>) => {
    if (order[l] < order[level]) return;
    const extra = fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
    process.stderr.write(`${new Date().toISOString()} ${l.toUpperCase()} [${name}] ${message}${extra}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: BusLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
