import { describe, expect, it } from 'vitest';
import { DEFAULT_NATS_URL, parseGalleyConfig } from './galley-config';

describe('parseGalleyConfig', () => {
  it('defaults', () => {
    expect(parseGalleyConfig([], {}, '/srv')).toEqual({ ok: true, value: { natsUrl: DEFAULT_NATS_URL, configDir: undefined, gracePeriodMs: 30000, logLevel: 'info' } });
  });

  it('reads flags (both spellings) over the environment', () => {
    const r = parseGalleyConfig(['--nats', 'nats://h:1', '--config-dir=conf', '--grace-period-ms', '500', '--log-level', 'DEBUG'], { NATS_URL: 'nats://env:2' }, '/srv');
    expect(r).toEqual({ ok: true, value: { natsUrl: 'nats://h:1', configDir: '/srv/conf', gracePeriodMs: 500, logLevel: 'debug' } });
  });

  it('reads the environment', () => {
    const r = parseGalleyConfig([], { NATS_URL: 'nats://env:2', GALLEY_CONFIG_DIR: '/etc/mesh' }, '/srv');
    expect(r.ok && r.value).toMatchObject({ natsUrl: 'nats://env:2', configDir: '/etc/mesh' });
  });

  it('reports every bad flag', () => {
    const r = parseGalleyConfig(['--grace-period-ms', 'soon', '--log-level', 'loud', '--bogus', 'x', '--nats'], {}, '/');
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual(['--bogus', '--nats', '--grace-period-ms', '--log-level']);
  });
});
