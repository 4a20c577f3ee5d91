import { type FieldError, type Result, fail, ok } from '@mizzen/mesh-model';

export type GalleyLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Everything Galley reads from its command line and environment, parsed once in main. */
export interface GalleyConfig {
  natsUrl: string;
  /** Watched directory of YAML/JSON config (absolute), if any. */
  configDir?: string;
  /** How long a registered workload survives a disconnect or going unreported. */
  gracePeriodMs: number;
  logLevel: GalleyLogLevel;
}

export const GALLEY_CONFIG = Symbol('galley:config');

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

const LEVELS: readonly GalleyLogLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * Parses `--nats URL`, `--config-dir DIR`, `--grace-period-ms N`, `--log-level L` (also as
 * `--flag=value`), falling back to NATS_URL, GALLEY_CONFIG_DIR, GALLEY_GRACE_PERIOD_MS,
 * GALLEY_LOG_LEVEL. Every problem is reported, with the flag as its path.
 */
export function parseGalleyConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd: string): Result<GalleyConfig> {
  const errors: FieldError[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      errors.push({ path: arg, message: 'unexpected argument' });
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (!['nats', 'config-dir', 'grace-period-ms', 'log-level'].includes(name)) {
      errors.push({ path: `--${name}`, message: 'unknown flag (known: --nats, --config-dir, --grace-period-ms, --log-level)' });
      continue;
    }
    if (value === undefined || value.startsWith('--')) {
      errors.push({ path: `--${name}`, message: 'needs a value' });
      if (value !== undefined) i--;
      continue;
    }
    flags.set(name, value);
  }
  const natsUrl = flags.get('nats') ?? env.NATS_URL ?? DEFAULT_NATS_URL;
  for (const u of natsUrl.split(',')) {
    if (!/^(nats|tls|ws|wss):\/\/[^\s/]+$/.test(u.trim()) && !/^[^\s:/]+:\d+$/.test(u.trim())) errors.push({ path: '--nats', message: `"${u}" is not a NATS URL` });
  }
  const dir = flags.get('config-dir') ?? env.GALLEY_CONFIG_DIR;
  const configDir = dir ? (dir.startsWith('/') ? dir : `${cwd.replace(/\/$/, '')}/${dir}`) : undefined;
  const graceRaw = flags.get('grace-period-ms') ?? env.GALLEY_GRACE_PERIOD_MS ?? '30000';
  const gracePeriodMs = Number(graceRaw);
  if (!Number.isInteger(gracePeriodMs) || gracePeriodMs <= 0) errors.push({ path: '--grace-period-ms', message: `must be a positive integer (got "${graceRaw}")` });
  const levelRaw = (flags.get('log-level') ?? env.GALLEY_LOG_LEVEL ?? 'info').toLowerCase();
  if (!LEVELS.includes(levelRaw as GalleyLogLevel)) errors.push({ path: '--log-level', message: `must be one of ${LEVELS.join(', ')}` });
  if (errors.length) return fail(errors);
  return ok({ natsUrl, configDir, gracePeriodMs, logLevel: levelRaw as GalleyLogLevel });
}
