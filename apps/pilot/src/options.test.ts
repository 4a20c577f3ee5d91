import { describe, expect, it } from 'vitest';
import { parseOptions } from './options';

describe('pilot options: JWKS resolution (Istio PILOT_JWT_* environment)', () => {
  it('defaults: Pilot fetches jwksUri (istiod mode) and refreshes every 20m', () => {
    expect(parseOptions([], {})).toMatchObject({ jwtPubKeyRefreshIntervalMs: 20 * 60_000, jwksFetchMode: 'istiod' });
  });

  it('reads PILOT_JWT_PUB_KEY_REFRESH_INTERVAL and PILOT_JWT_ENABLE_REMOTE_JWKS; flags win', () => {
    const env = { PILOT_JWT_PUB_KEY_REFRESH_INTERVAL: '1s', PILOT_JWT_ENABLE_REMOTE_JWKS: 'true' };
    expect(parseOptions([], env)).toMatchObject({ jwtPubKeyRefreshIntervalMs: 1000, jwksFetchMode: 'envoy' });
    expect(parseOptions(['--jwt-pub-key-refresh-interval', '1m30s', '--jwt-enable-remote-jwks', 'istiod'], env)).toMatchObject({ jwtPubKeyRefreshIntervalMs: 90_000, jwksFetchMode: 'istiod' });
    expect(parseOptions([], { PILOT_JWT_ENABLE_REMOTE_JWKS: 'envoy' }).jwksFetchMode).toBe('envoy');
  });

  it('refuses a refresh interval that is not a positive duration, and the hybrid mode', () => {
    expect(() => parseOptions(['--jwt-pub-key-refresh-interval', '20'], {})).toThrow(/not a positive duration/);
    expect(() => parseOptions([], { PILOT_JWT_PUB_KEY_REFRESH_INTERVAL: '0s' })).toThrow(/not a positive duration/);
    expect(() => parseOptions([], { PILOT_JWT_ENABLE_REMOTE_JWKS: 'hybrid' })).toThrow(/hybrid is not supported/);
  });
});
